using System.Collections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace RunStrength.Functions.Telemetry;

/// <summary>
/// Wraps a logger provider so that messages, their structured values and their scopes pass through
/// <see cref="UrlRedaction"/> first. In the worker every log goes to the Functions host (and from
/// there to Application Insights) through such a provider, so redacting here covers ASP.NET Core's
/// request lines (<c>Request starting … GET …/api/calendar/feed.ics?token=…</c>), its <c>RequestPath</c>
/// scope, and anything the app logs.
/// </summary>
public sealed class RedactingLoggerProvider(ILoggerProvider inner, bool ownsInner) : ILoggerProvider, ISupportExternalScope
{
    public ILogger CreateLogger(string categoryName) => new RedactingLogger(inner.CreateLogger(categoryName));

    public void SetScopeProvider(IExternalScopeProvider scopeProvider)
    {
        if (inner is ISupportExternalScope scoped)
        {
            scoped.SetScopeProvider(new RedactingScopeProvider(scopeProvider));
        }
    }

    public void Dispose()
    {
        if (ownsInner)
        {
            inner.Dispose();
        }
    }

    /// <summary>A log state's values redacted, keeping its shape (a list of name/value pairs) for providers that read them.</summary>
    internal static object? RedactState(object? state) => state switch
    {
        null => null,
        IEnumerable<KeyValuePair<string, object?>> pairs => Redacted(pairs, UrlRedaction.Redact(state.ToString() ?? "")),
        _ => UrlRedaction.RedactValue(state),
    };

    private static RedactedState Redacted(IEnumerable<KeyValuePair<string, object?>> pairs, string message) =>
        new([.. pairs.Select(p => new KeyValuePair<string, object?>(p.Key, UrlRedaction.RedactValue(p.Value)))], message);

    private sealed class RedactingLogger(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(RedactState(state) ?? "");

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            ArgumentNullException.ThrowIfNull(formatter);
            if (!inner.IsEnabled(logLevel))
            {
                return;
            }

            var message = UrlRedaction.Redact(formatter(state, exception));
            var redacted = Redacted(state as IEnumerable<KeyValuePair<string, object?>> ?? [], message);
            inner.Log(logLevel, eventId, redacted, exception, static (s, _) => s.Message);
        }
    }

    private sealed class RedactingScopeProvider(IExternalScopeProvider inner) : IExternalScopeProvider
    {
        public void ForEachScope<TState>(Action<object?, TState> callback, TState state) =>
            inner.ForEachScope((scope, s) => callback(RedactState(scope), s), state);

        public IDisposable Push(object? state) => inner.Push(state);
    }

    /// <summary>Name/value pairs as loggers expect structured state, printing as the redacted message.</summary>
    private sealed class RedactedState(IReadOnlyList<KeyValuePair<string, object?>> pairs, string message) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public string Message => message;

        public int Count => pairs.Count;

        public KeyValuePair<string, object?> this[int index] => pairs[index];

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => pairs.GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => message;
    }
}

public static class LogRedactionServiceCollectionExtensions
{
    /// <summary>
    /// Wraps every logger provider registered so far in a <see cref="RedactingLoggerProvider"/>.
    /// Call it last, after everything that adds a provider.
    /// </summary>
    public static IServiceCollection AddRunStrengthLogRedaction(this IServiceCollection services)
    {
        var providers = services.Where(d => d.ServiceType == typeof(ILoggerProvider) && !d.IsKeyedService).ToList();
        foreach (var descriptor in providers)
        {
            services.Remove(descriptor);
            services.Add(ServiceDescriptor.Singleton<ILoggerProvider>(provider => descriptor switch
            {
                { ImplementationInstance: ILoggerProvider instance } => new RedactingLoggerProvider(instance, ownsInner: false),
                { ImplementationFactory: { } factory } => new RedactingLoggerProvider((ILoggerProvider)factory(provider), ownsInner: true),
                _ => new RedactingLoggerProvider((ILoggerProvider)ActivatorUtilities.CreateInstance(provider, descriptor.ImplementationType!), ownsInner: true),
            }));
        }

        return services;
    }
}
