using RunStrength.Testing;

namespace RunStrength.EndToEnd.Tests;

/// <summary>
/// Holds every response of the app's own routes (<c>/{routePrefix}/...</c>) to openapi.json
/// (see <see cref="OpenApiContract"/>), so an end-to-end test that receives an undocumented
/// status, header or field fails. The host's admin routes, and the 502 and 504 that LocalHost
/// itself answers when a worker crashes or times out, are not the app's and pass unchecked.
/// </summary>
public sealed class ContractCheckingHandler(string routePrefix) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var prefix = $"/{routePrefix}/";
        var path = request.RequestUri!.AbsolutePath;
        if (path.StartsWith(prefix, StringComparison.Ordinal) && (int)response.StatusCode is not (502 or 504))
        {
            await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            var headers = response.Headers.Select(h => h.Key).Concat(response.Content.Headers.Select(h => h.Key)).ToList();
            OpenApiContract.AssertResponse(request.Method.Method, OpenApiContract.BasePath + path[(prefix.Length - 1)..], (int)response.StatusCode,
                response.Content.Headers.ContentType?.ToString(), headers, body);
        }

        return response;
    }
}
