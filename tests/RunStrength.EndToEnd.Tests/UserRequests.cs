using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using RunStrength.DevToken;

namespace RunStrength.EndToEnd.Tests;

/// <summary>A signed-in user's request to the app under LocalHost, with a development token.</summary>
internal static class UserRequests
{
    private static readonly DevTokens.Settings Tokens = DevTokens.Read(Path.Combine(LocalHostFixture.Output("RunStrength.Functions"), "local.settings.json"));

    /// <summary>Sends as <paramref name="user"/>; the body is parsed when it is a JSON object.</summary>
    public static async Task<(HttpStatusCode Status, JsonNode? Body)> SendAsUserAsync(this LocalHostFixture host, HttpMethod method, string path, string user, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", DevTokens.Mint(Tokens, user, TimeSpan.FromHours(1)));
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await host.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.StartsWith('{') ? JsonNode.Parse(text) : null);
    }
}
