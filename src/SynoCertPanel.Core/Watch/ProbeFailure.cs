namespace SynoCertPanel.Core.Watch;

public enum ProbeFailureKind
{
    /// <summary>The name did not resolve.</summary>
    Dns,

    /// <summary>Something answered for the address but nothing listens on the port (TCP reset).</summary>
    Refused,

    /// <summary>No route to the address, or the host is down.</summary>
    Unreachable,

    /// <summary>The lookup, the connect or the handshake did not finish in time.</summary>
    Timeout,

    /// <summary>The server speaks TLS but the handshake failed (an alert, a closed connection, a bad message).</summary>
    Handshake,

    /// <summary>The server answered with something that is not TLS (plain HTTP, an SSH banner, …).</summary>
    NotTls,
}

/// <summary>Why a probe got no certificate, as a value: the kind, one sentence for the operator, and the TLS alert when the server sent one.</summary>
public sealed record ProbeFailure(ProbeFailureKind Kind, string Message, TlsAlert? Alert = null);
