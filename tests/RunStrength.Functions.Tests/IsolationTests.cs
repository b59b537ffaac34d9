using Microsoft.AspNetCore.Http;
using NSubstitute;
using RunStrength.Planning.Profiles;
using RunStrength.Storage;

namespace RunStrength.Functions.Tests;

/// <summary>Every route acts for the token's subject only: bob's calls never touch alice's data, and no token means 401.</summary>
public sealed class IsolationTests
{
    private static readonly string LogBody = """{ "status": "completed" }""";

    public static TheoryData<string> Routes() => new(Calls.Keys);

    private static readonly Dictionary<string, Func<Api, HttpRequest, Task<IResult>>> Calls = new()
    {
        ["PUT api/me/profile"] = (api, r) => api.ProfileFunctions.Put(r, default),
        ["GET api/me/profile"] = (api, r) => api.ProfileFunctions.Get(r, default),
        ["PATCH api/me/profile"] = (api, r) => api.ProfileFunctions.Patch(r, default),
        ["DELETE api/me"] = (api, r) => api.AccountFunctions.Delete(r, default),
        ["GET api/me/plans/current"] = (api, r) => api.PlanFunctions.Week(r, "current", default),
        ["GET api/me/plans/next"] = (api, r) => api.PlanFunctions.Week(r, "next", default),
        ["GET api/me/plans/{week}"] = (api, r) => api.PlanFunctions.Week(r, "2026-W49", default),
        ["GET api/me/plans"] = (api, r) => api.PlanFunctions.List(r, default),
        ["PUT api/me/plans/{week}/sessions/{id}/log"] = (api, r) => api.LogFunctions.Put(r, "2026-W49", "s1", default),
        ["GET api/me/plans/{week}/logs"] = (api, r) => api.LogFunctions.Week(r, "2026-W49", default),
        ["POST api/me/calendar"] = (api, r) => api.CalendarFunctions.Create(r, default),
        ["DELETE api/me/calendar"] = (api, r) => api.CalendarFunctions.Revoke(r, default),
    };

    private static HttpRequest Request(string route, string? user)
    {
        var (body, type) = route switch
        {
            "PUT api/me/profile" => (Api.ProfileBody, "application/json"),
            "PATCH api/me/profile" => ("""{ "maxSessionMinutes": 45 }""", "application/merge-patch+json"),
            "PUT api/me/plans/{week}/sessions/{id}/log" => (LogBody, "application/json"),
            _ => ((string?)null, "application/json"),
        };
        return TestHttp.Request(TestHttp.Sample(route), user, body, type);
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task WithoutATokenEveryMeRouteIs401AndTouchesNoStore(string route)
    {
        var api = new Api();
        var request = Request(route, user: null);

        var reply = await TestHttp.Execute(request, Calls[route](api, request));

        Assert.Equal(401, reply.Status);
        Assert.Equal("application/problem+json", reply.ContentType);
        Assert.Empty(api.Profiles.ReceivedCalls().Concat(api.Plans.ReceivedCalls()).Concat(api.Logs.ReceivedCalls()).Concat(api.Eraser.ReceivedCalls()));
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task BobNeverReadsOrChangesAlicesData(string route)
    {
        var api = new Api().WithProfile("alice").WithPlan("alice", Api.ThisWeek);
        api.Profiles.ReplaceAsync(default!, default!, default).ReturnsForAnyArgs(new WriteResult(WriteOutcome.Updated, "e", 2));
        api.Profiles.CreateAsync(default!, default!, default).ReturnsForAnyArgs(new WriteResult(WriteOutcome.Created, "e", 1));
        api.Plans.ListAsync(default!, default, default, default, default, default).ReturnsForAnyArgs(new PlanListingPage([], null));
        api.Tokens.CreateOrRotateAsync(default!, default).ReturnsForAnyArgs("token-token-token-token-token");
        var request = Request(route, user: "bob");

        var reply = await TestHttp.Execute(request, Calls[route](api, request));

        Assert.NotEqual(401, reply.Status);
        var calls = api.Profiles.ReceivedCalls().Concat(api.Plans.ReceivedCalls()).Concat(api.Logs.ReceivedCalls())
            .Concat(api.Eraser.ReceivedCalls()).Concat(api.Tokens.ReceivedCalls()).ToList();
        Assert.NotEmpty(calls);
        Assert.DoesNotContain(calls, c => c.GetArguments().Any(a => a is "alice" || (a is StoredProfile p && p.UserId == "alice")));
        Assert.DoesNotContain("Barbell", reply.Body, StringComparison.Ordinal);
    }
}
