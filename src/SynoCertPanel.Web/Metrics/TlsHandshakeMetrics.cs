using Microsoft.AspNetCore.Connections;
using Prometheus;

namespace SynoCertPanel.Web.Metrics;

/// <summary>
/// TLS handshakes on the panel's HTTPS listener, succeeded or failed. Kestrel's HTTPS middleware logs a failed handshake
/// and ends the connection without an exception reaching anyone, so two connection middlewares count instead: the outer
/// one sees every connection, the inner one (after TLS) only those whose handshake completed. A connection that closes
/// before completing a handshake (a port scan, a client that refuses the certificate, plain HTTP sent to the HTTPS
/// port) counts as failed.
/// </summary>
public sealed class TlsHandshakeMetrics
{
    private readonly Counter.Child _succeeded;
    private readonly Counter.Child _failed;

    public TlsHandshakeMetrics(IMetricFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var handshakes = factory.CreateCounter("synocertpanel_tls_handshakes_total",
            "TLS handshakes on the panel's HTTPS listener, by result (succeeded, failed).", ["result"]);
        _succeeded = handshakes.WithLabels("succeeded");
        _failed = handshakes.WithLabels("failed");
    }

    /// <summary>Goes before the HTTPS middleware: a connection that never reached <see cref="AfterHandshake"/> failed its handshake.</summary>
    public Func<ConnectionDelegate, ConnectionDelegate> BeforeHandshake => next => async connection =>
    {
        var outcome = new HandshakeOutcome();
        connection.Features.Set(outcome);
        try
        {
            await next(connection).ConfigureAwait(false);
        }
        finally
        {
            if (!outcome.Completed)
            {
                _failed.Inc();
            }
        }
    };

    /// <summary>Goes after the HTTPS middleware, so it runs once a handshake has completed.</summary>
    public Func<ConnectionDelegate, ConnectionDelegate> AfterHandshake => next => connection =>
    {
        if (connection.Features.Get<HandshakeOutcome>() is { } outcome)
        {
            outcome.Completed = true;
        }

        _succeeded.Inc();
        return next(connection);
    };

    private sealed class HandshakeOutcome
    {
        public bool Completed { get; set; }
    }
}
