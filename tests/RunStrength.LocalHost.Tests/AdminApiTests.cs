using Microsoft.AspNetCore.Http;

namespace RunStrength.LocalHost.Tests;

/// <summary>The admin API is for this machine's own tools: no web page (CSRF), no foreign Host (DNS rebinding), no caller without this run's token.</summary>
public sealed class AdminApiTests
{
    private const string Token = "0123456789abcdef0123456789abcdef";

    private static int? Status(string host, string? key = Token, string? origin = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Host = new HostString(host);
        if (key is not null)
        {
            context.Request.Headers[AdminApi.KeyHeader] = key;
        }

        if (origin is not null)
        {
            context.Request.Headers.Origin = origin;
        }

        var refusal = AdminApi.Refusal(context.Request, Token);
        return refusal is null ? null : Assert.IsAssignableFrom<IStatusCodeHttpResult>(refusal).StatusCode;
    }

    [Theory]
    [InlineData("127.0.0.1:7071")]
    [InlineData("localhost:7071")]
    [InlineData("[::1]:7071")]
    [InlineData("127.0.0.2")]
    public void LoopbackHostsWithTheTokenAreServed(string host) => Assert.Null(Status(host));

    [Theory]
    [InlineData("attacker.example:7071")]
    [InlineData("192.168.1.10:7071")]
    [InlineData("localhost.attacker.example")]
    public void AnyOtherHostIsRefused(string host) => Assert.Equal(403, Status(host));

    [Fact]
    public void ARequestFromAWebPageIsRefused() => Assert.Equal(403, Status("127.0.0.1:7071", origin: "https://attacker.example"));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0123456789abcdef0123456789abcdee")]
    public void WithoutThisRunsTokenItIs401(string? key) => Assert.Equal(401, Status("127.0.0.1:7071", key));

    [Fact]
    public void EachRunHasItsOwnTokenUnlessOneIsGiven()
    {
        var first = LocalHostOptions.Parse(["--app", "x"])!;
        var second = LocalHostOptions.Parse(["--app", "x"])!;

        Assert.NotEqual(first.AdminToken, second.AdminToken);
        Assert.True(first.AdminToken.Length >= 32);
        Assert.Equal(Token, LocalHostOptions.Parse(["--app", "x", "--admin-token", Token])!.AdminToken);
        Assert.Null(LocalHostOptions.Parse(["--app", "x", "--admin-token", "short"]));
    }
}
