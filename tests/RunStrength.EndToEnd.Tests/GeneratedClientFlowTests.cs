using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;
using RunStrength.ApiClient;
using RunStrength.ApiClient.Models;
using RunStrength.DevToken;
using RunStrength.Planning;

namespace RunStrength.EndToEnd.Tests;

/// <summary>
/// The mobile flow through the C# client Kiota generates from openapi.json at build time (see the
/// project file), against the built app under LocalHost: what a client developer gets from the
/// document is what the API does. Every response is also held to the document.
/// </summary>
public sealed class GeneratedClientFlowTests : IAsyncLifetime
{
    private LocalHostFixture _host = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _host = await LocalHostFixture.StartRunStrengthAsync();
        _http = KiotaClientFactory.Create(_host.CreateHandler());
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _host.DisposeAsync();
    }

    private RunStrengthClient Client(string user)
    {
        var settings = DevTokens.Read(Path.Combine(LocalHostFixture.Output("RunStrength.Functions"), "local.settings.json"));
        var adapter = new HttpClientRequestAdapter(new BearerToken(DevTokens.Mint(settings, user, TimeSpan.FromHours(1))), httpClient: _http) { BaseUrl = ApiBaseUrl };
        return new RunStrengthClient(adapter);
    }

    /// <summary>This host's address with the document's server path (<c>/api</c>), as a mobile app sets its deployment's.</summary>
    private string ApiBaseUrl => new Uri(_host.BaseUrl, RunStrength.Testing.OpenApiContract.BasePath.TrimStart('/')).ToString().TrimEnd('/');

    private static Profile NewProfile() => new()
    {
        Goal = Goal.Balanced,
        RunningExperience = Experience.Intermediate,
        StrengthExperience = Experience.Beginner,
        AvailableDays = [Weekday.Mon, Weekday.Wed, Weekday.Fri, Weekday.Sat],
        LongRunDay = Weekday.Sat,
        MaxSessionMinutes = 60,
        WeeklyRunMinutes = 120,
        Equipment = [Equipment.Dumbbells],
        Terrain = [Terrain.Flat, Terrain.Hills],
        BirthYear = 1988,
        TimeZone = "Europe/Amsterdam",
        Units = Units.Metric,
    };

    [Fact]
    public async Task SignUpPatchPlanLogCalendarAndEraseThroughTheGeneratedClient()
    {
        var client = Client("kiota|user ü");
        var created = new HeadersInspectionHandlerOption { InspectResponseHeaders = true };

        var profile = await client.Me.Profile.PutAsync(NewProfile(), c => c.Options.Add(created));

        Assert.Equal("\"1\"", created.ResponseHeaders["ETag"].Single());
        Assert.Equal([Terrain.Hills, Terrain.Flat], profile!.Terrain!.Select(t => t!.Value));
        Assert.Equal(Weekday.Sat, profile.LongRunDay);

        var patched = new HeadersInspectionHandlerOption { InspectResponseHeaders = true };
        var changed = await client.Me.Profile.PatchAsync(new ProfilePatch { MaxSessionMinutes = 45 }, c =>
        {
            c.Headers.Add("If-Match", "\"1\"");
            c.Options.Add(patched);
        });
        Assert.Equal((45, Weekday.Sat, Units.Metric, 120), (changed!.MaxSessionMinutes, changed.LongRunDay, changed.Units, changed.WeeklyRunMinutes));
        Assert.Equal("\"2\"", patched.ResponseHeaders["ETag"].Single());

        // A typed model sends no explicit null, so removing a field is a PUT without it: the
        // server answers "longRunDay": null, which the document allows and the client reads as null.
        var withoutLongRun = NewProfile();
        withoutLongRun.LongRunDay = null;
        withoutLongRun.MaxSessionMinutes = 45;
        var replaced = await client.Me.Profile.PutAsync(withoutLongRun, c => c.Headers.Add("If-Match", "\"2\""));
        Assert.Null(replaced!.LongRunDay);
        Assert.Null((await client.Me.Profile.GetAsync())!.LongRunDay);

        var today = WeekClock.Today(_host.ClockStart, "Europe/Amsterdam");
        var current = await client.Me.Plans.Current.GetAsync();
        Assert.Equal(IsoWeek.Containing(today).ToString(), current!.Week);
        Assert.True(current.Phase is Phase.Build or Phase.Deload);
        var workout = current.Sessions!.FirstOrDefault(s => s.Kind != SessionKind.Rest);
        if (workout is not null)
        {
            var log = await client.Me.Plans[current.Week].Sessions[workout.Id].Log.PutAsync(new SessionLogRequest
            {
                Status = LogStatus.Completed,
                ActualMinutes = workout.DurationMinutes,
                Rpe = 6,
            });
            Assert.Equal((workout.Id, LogStatus.Completed, 6), (log!.SessionId, log.Status, log.Rpe));
        }

        var page = await client.Me.Plans.GetAsync(c => c.QueryParameters.PageSize = 10);
        Assert.Contains(page!.Items!, w => w.Week == current.Week && w.Phase == current.Phase);

        var feed = await client.Me.Calendar.PostAsync();
        Assert.StartsWith(_host.BaseUrl.ToString(), feed!.Url, StringComparison.Ordinal);
        var url = new Uri(feed.Url!);
        Assert.Equal("/api/calendar/feed.ics", url.AbsolutePath);
        var token = url.Query.Split('=', 2)[1];
        using (var ics = await client.Calendar.FeedIcs.GetAsync(c => c.QueryParameters.Token = token))
        {
            Assert.StartsWith("BEGIN:VCALENDAR", await new StreamReader(ics!).ReadToEndAsync(), StringComparison.Ordinal);
        }

        Assert.Contains((await client.Exercises.GetAsync())!.Exercises!, e => e.Pattern == MovementPattern.Squat);
        Assert.Equal("healthy", (await client.Health.GetAsync())!.Status);

        await client.Me.DeleteAsync();
        var gone = await Assert.ThrowsAsync<Problem>(() => client.Me.Profile.GetAsync());
        Assert.Equal(404, gone.ResponseStatusCode);
    }

    [Fact]
    public async Task ErrorsArriveAsTypedProblemsWhoseMessageIsTheDetail()
    {
        var client = Client("kiota-errors");

        var invalid = NewProfile();
        invalid.MaxSessionMinutes = 5;
        invalid.AvailableDays = [Weekday.Mon];
        var validation = await Assert.ThrowsAsync<Problem>(() => client.Me.Profile.PutAsync(invalid));
        Assert.Equal((400, "urn:runstrength:problem:validation"), (validation.ResponseStatusCode, validation.Type));
        Assert.Equal(validation.Detail, validation.Message);
        Assert.Contains("maxSessionMinutes", validation.Message, StringComparison.Ordinal);
        Assert.Contains("availableDays", validation.Errors!.AdditionalData.Keys);

        await client.Me.Profile.PutAsync(NewProfile());
        var stale = await Assert.ThrowsAsync<Problem>(() => client.Me.Profile.PatchAsync(new ProfilePatch { MaxSessionMinutes = 50 }, c => c.Headers.Add("If-Match", "\"9\"")));
        Assert.Equal((412, "urn:runstrength:problem:precondition-failed"), (stale.ResponseStatusCode, stale.Type));
        Assert.Equal(stale.Detail, stale.Message);
        Assert.False(string.IsNullOrWhiteSpace(stale.Message));

        var anonymous = new RunStrengthClient(new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: _http) { BaseUrl = ApiBaseUrl });
        var unauthorized = await Assert.ThrowsAsync<Problem>(() => anonymous.Me.Profile.GetAsync());
        Assert.Equal(401, unauthorized.ResponseStatusCode);
        Assert.Equal("Send a valid bearer token in the Authorization header.", unauthorized.Message);
    }

    /// <summary>A development token on every request (Kiota's own bearer provider insists on https).</summary>
    private sealed class BearerToken(string token) : IAuthenticationProvider
    {
        public Task AuthenticateRequestAsync(RequestInformation request, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(request);
            request.Headers.Add("Authorization", $"Bearer {token}");
            return Task.CompletedTask;
        }
    }
}
