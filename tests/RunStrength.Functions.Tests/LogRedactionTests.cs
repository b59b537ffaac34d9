using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RunStrength.Functions.Telemetry;

namespace RunStrength.Functions.Tests;

/// <summary>Calendar feed tokens and query strings never reach a log line, a logged value or a scope.</summary>
public sealed class LogRedactionTests
{
    private const string FeedToken = "Qm9vbS1hLXJlYWwtZmVlZC10b2tlbi0yNTYtYml0cw";

    /// <summary>The shape of ASP.NET Core's own request line.</summary>
    private static readonly Action<ILogger, string, string, string, Exception?> RequestStarting =
        LoggerMessage.Define<string, string, string>(LogLevel.Information, new EventId(1, "RequestStarting"), "Request starting {Method} {Path}{QueryString}");

    /// <summary>An app line that carries a whole feed URL as a value.</summary>
    private static readonly Action<ILogger, string, Exception?> Subscribed =
        LoggerMessage.Define<string>(LogLevel.Information, new EventId(2, "Subscribed"), "Subscribed at {Url}");

    [Theory]
    [InlineData("Request starting HTTP/1.1 GET http://127.0.0.1:7072/api/calendar/feed.ics?token=" + FeedToken + " - - -", "Request starting HTTP/1.1 GET http://127.0.0.1:7072/api/calendar/feed.ics?[redacted] - - -")]
    [InlineData("https://app.example/api/calendar/feed.ics?token=" + FeedToken, "https://app.example/api/calendar/feed.ics?[redacted]")]
    [InlineData("/api/calendar/feed.ics", "/api/calendar/feed.ics")]
    [InlineData("/api/calendar/feed.icsx", "/api/calendar/[redacted]")]
    [InlineData("Request starting HTTP/1.1 GET http://127.0.0.1:7072/api/calendar/" + FeedToken + ".ics - - -", "Request starting HTTP/1.1 GET http://127.0.0.1:7072/api/calendar/[redacted] - - -")]
    [InlineData("/API/Calendar/" + FeedToken + ".ics", "/API/Calendar/[redacted]")]
    [InlineData("GET /api/me/plans?from=2026-W01&continuationToken=dzE6MjAyNi1XNDU HTTP/1.1", "GET /api/me/plans?[redacted] HTTP/1.1")]
    [InlineData("https://app.example/api/calendar/" + FeedToken + ".ics?x=1", "https://app.example/api/calendar/[redacted]?[redacted]")]
    [InlineData("?continuationToken=dzE6MjAyNi1XNDU", "?[redacted]")]
    [InlineData("User erased: 12 rows deleted", "User erased: 12 rows deleted")]
    [InlineData("Why? Because the week is due.", "Why? Because the week is due.")]
    [InlineData("Executing 'Functions.GetCalendarFeed' (Reason='calendar/{token}.ics')", "Executing 'Functions.GetCalendarFeed' (Reason='calendar/{token}.ics')")]
    public void RedactsCalendarPathsAndQueryStringsOnly(string text, string expected) => Assert.Equal(expected, UrlRedaction.Redact(text));

    [Fact]
    public void MessagesValuesAndScopesReachTheProviderRedacted()
    {
        var sink = new CapturingProvider();
        using var provider = RedactedLogging(sink);
        var logger = provider.GetRequiredService<ILoggerFactory>().CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics");

        using (logger.BeginScope(new Dictionary<string, object?> { ["RequestPath"] = $"/api/calendar/{FeedToken}.ics", ["RequestId"] = "0HN1" }))
        {
            RequestStarting(logger, "GET", $"/api/calendar/{FeedToken}.ics", "?continuationToken=dzE6MjAyNi1XNDU", null);
        }

        var entry = Assert.Single(sink.Entries);
        Assert.Equal("Request starting GET /api/calendar/[redacted]?[redacted]", entry.Message);
        Assert.Contains(new KeyValuePair<string, object?>("Path", "/api/calendar/[redacted]"), entry.Values);
        Assert.Contains(new KeyValuePair<string, object?>("QueryString", "?[redacted]"), entry.Values);
        Assert.Contains(new KeyValuePair<string, object?>("RequestId", "0HN1"), entry.Scopes);
        var everything = string.Join('|', entry.Values.Concat(entry.Scopes).Select(v => $"{v.Key}={v.Value}").Append(entry.Message));
        Assert.DoesNotContain(FeedToken, everything, StringComparison.Ordinal);
        Assert.DoesNotContain("dzE6", everything, StringComparison.Ordinal);
    }

    [Fact]
    public void TheQueryFormFeedUrlReachesTheProviderWithoutItsToken()
    {
        var sink = new CapturingProvider();
        using var provider = RedactedLogging(sink);
        var logger = provider.GetRequiredService<ILoggerFactory>().CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics");
        var url = Calendar.CalendarFunctions.FeedUrl("https://app.example", FeedToken);

        using (logger.BeginScope(new Dictionary<string, object?> { ["RequestPath"] = "/api/calendar/feed.ics", ["RequestId"] = "0HN2" }))
        {
            RequestStarting(logger, "GET", "/api/calendar/feed.ics", new Uri(url).Query, null);
            Subscribed(logger, url, null);
        }

        Assert.Equal(2, sink.Entries.Count);
        Assert.Equal("Request starting GET /api/calendar/feed.ics?[redacted]", sink.Entries[0].Message);
        Assert.Contains(new KeyValuePair<string, object?>("Path", "/api/calendar/feed.ics"), sink.Entries[0].Values);
        Assert.Contains(new KeyValuePair<string, object?>("QueryString", "?[redacted]"), sink.Entries[0].Values);
        Assert.Equal("Subscribed at https://app.example/api/calendar/feed.ics?[redacted]", sink.Entries[1].Message);
        Assert.Contains(new KeyValuePair<string, object?>("Url", "https://app.example/api/calendar/feed.ics?[redacted]"), sink.Entries[1].Values);
        var everything = string.Join('|', sink.Entries.SelectMany(e => e.Values.Concat(e.Scopes).Select(v => $"{v.Key}={v.Value}").Append(e.Message)));
        Assert.DoesNotContain(FeedToken, everything, StringComparison.Ordinal);
    }

    /// <summary>Logging as the worker sets it up: every provider (here only <paramref name="sink"/>) wrapped by the redaction.</summary>
    private static ServiceProvider RedactedLogging(CapturingProvider sink)
    {
        var services = new ServiceCollection().AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace));
        services.AddSingleton<ILoggerProvider>(sink);
        services.AddRunStrengthLogRedaction();
        return services.BuildServiceProvider();
    }

    [Fact]
    public void EveryLoggerProviderTheWorkerRegistersIsWrapped()
    {
        var builder = FunctionsApplication.CreateBuilder([]);
        builder.ConfigureFunctionsWebApplication();
        var registered = builder.Services.Count(d => d.ServiceType == typeof(ILoggerProvider));

        builder.Services.AddRunStrengthLogRedaction();
        using var provider = builder.Services.BuildServiceProvider();

        var providers = provider.GetServices<ILoggerProvider>().ToList();
        Assert.True(registered >= 1);
        Assert.Equal(registered, providers.Count);
        Assert.All(providers, p => Assert.IsType<RedactingLoggerProvider>(p));
    }

    private sealed class CapturingProvider : ILoggerProvider, ISupportExternalScope
    {
        private IExternalScopeProvider? _scopes;

        public List<(string Message, List<KeyValuePair<string, object?>> Values, List<KeyValuePair<string, object?>> Scopes)> Entries { get; } = [];

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

        public void Dispose()
        {
        }

        private sealed class Logger(CapturingProvider owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var scopes = new List<KeyValuePair<string, object?>>();
                owner._scopes?.ForEachScope((scope, list) => list.AddRange(scope as IEnumerable<KeyValuePair<string, object?>> ?? []), scopes);
                owner.Entries.Add((formatter(state, exception), [.. state as IEnumerable<KeyValuePair<string, object?>> ?? []], scopes));
            }
        }
    }
}
