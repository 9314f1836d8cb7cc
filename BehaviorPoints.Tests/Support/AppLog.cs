using System.Collections.Concurrent;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.Extensions.Logging;

namespace BehaviorPoints.Tests.Support;

/// <summary>What the app under test logged at Warning and above, and how many Blazor circuits have closed.</summary>
public sealed class AppLog : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _entries = new();
    private int _circuitsClosed;

    /// <summary>Warnings and errors, as "Category: message" with the exception's type and message.</summary>
    public IReadOnlyCollection<string> Entries => _entries;

    public int CircuitsClosed => Volatile.Read(ref _circuitsClosed);

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose() { }

    private sealed class Logger(AppLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                log._entries.Enqueue($"{category}: {formatter(state, exception)} {exception?.GetType().Name} {exception?.Message}");
            }
        }
    }

    /// <summary>Counts closed circuits, so a test can wait for the teardown it wants to check.</summary>
    public sealed class ClosedCircuits(AppLog log) : CircuitHandler
    {
        public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref log._circuitsClosed);
            return Task.CompletedTask;
        }
    }
}
