using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NSubstitute;
using RunStrength.Functions.Calendar;
using RunStrength.Storage;
using RunStrength.Testing;

namespace RunStrength.Functions.Tests;

/// <summary>The calendar handlers over the real token store on Azurite: what a calendar app sees after rotations and revocation.</summary>
[Collection(AzuriteGroup.Name)]
public sealed class CalendarFeedStorageTests : IAsyncLifetime
{
    private readonly ServiceProvider _services;
    private readonly Api _api = new();

    public CalendarFeedStorageTests(AzuriteFixture fixture)
    {
        ArgumentNullException.ThrowIfNull(fixture);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = fixture.Azurite.ConnectionString,
            ["Storage:TablePrefix"] = "t" + Guid.NewGuid().ToString("N")[..12],
        }).Build();
        _services = new ServiceCollection().AddRunStrengthStorage(configuration).BuildServiceProvider();
        _api.WithProfile("alice").WithPlan("alice", Api.ThisWeek);
    }

    private CalendarFunctions Functions => new(
        TestHttp.Authenticator(), _api.Audit, _services.GetRequiredService<ICalendarTokenStore>(), _api.Profiles, _api.Plans, _api.Clock, Options.Create(Api.CalendarSettings()));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _services.GetRequiredService<Tables>().DeleteAllAsync();
        await _services.DisposeAsync();
    }

    private async Task<string> RotateAsync()
    {
        var request = TestHttp.Request("POST /api/me/calendar");
        var reply = await TestHttp.Execute(request, Functions.Create(request, default));
        Assert.Equal(200, reply.Status);
        var url = new Uri(reply.Json["url"]!.GetValue<string>());
        Assert.Equal("/api/calendar/feed.ics", url.AbsolutePath);
        return QueryHelpers.ParseQuery(url.Query)["token"].Single()!;
    }

    private async Task<int> FeedStatusAsync(string token)
    {
        var request = TestHttp.Request($"GET /api/calendar/feed.ics?token={Uri.EscapeDataString(token)}", user: null);
        return (await TestHttp.Execute(request, Functions.Feed(request, default))).Status;
    }

    private async Task<int> RevokeStatusAsync()
    {
        var request = TestHttp.Request("DELETE /api/me/calendar");
        return (await TestHttp.Execute(request, Functions.Revoke(request, default))).Status;
    }

    [Fact]
    public async Task AfterConcurrentRotationsExactlyOneFeedWorksAndEveryEarlierOneIs404()
    {
        var earlier = new[] { await RotateAsync(), await RotateAsync() };

        var racing = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(RotateAsync)));

        var statuses = new List<int>();
        foreach (var token in earlier.Concat(racing))
        {
            statuses.Add(await FeedStatusAsync(token));
        }

        Assert.Single(statuses, 200);
        Assert.All(statuses, status => Assert.Contains(status, new[] { 200, 404 }));
        Assert.Equal(404, statuses[0]);
        Assert.Equal(404, statuses[1]);
    }

    [Fact]
    public async Task RevokingMakesTheFeed404AndARepeatIsStill204()
    {
        var old = await RotateAsync();
        var current = await RotateAsync();
        Assert.Equal(200, await FeedStatusAsync(current));

        Assert.Equal(204, await RevokeStatusAsync());
        Assert.Equal(204, await RevokeStatusAsync());

        Assert.Equal(404, await FeedStatusAsync(old));
        Assert.Equal(404, await FeedStatusAsync(current));
        Assert.Equal(200, await FeedStatusAsync(await RotateAsync()));
    }

    [Fact]
    public async Task RevokingWithoutAFeedIs204()
    {
        Assert.Equal(204, await RevokeStatusAsync());
        await _api.Profiles.DidNotReceiveWithAnyArgs().GetAsync(default!, default);
    }
}
