using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace SynoCertPanel.Web.Tests.Auth;

internal sealed class LogCollector : ILoggerProvider
{
    public ConcurrentQueue<string> Messages { get; } = new();

    /// <summary>Exceptions attached to log entries (an unhandled one in a request, for instance).</summary>
    public ConcurrentQueue<Exception> Exceptions { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Collector(this);

    public void Dispose()
    {
    }

    private sealed class Collector(LogCollector owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            owner.Messages.Enqueue(formatter(state, exception));
            if (exception is not null)
            {
                owner.Exceptions.Enqueue(exception);
            }
        }
    }
}
