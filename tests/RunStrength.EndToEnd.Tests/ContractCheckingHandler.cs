using RunStrength.Testing;

namespace RunStrength.EndToEnd.Tests;

/// <summary>
/// Holds every response of the app's API (<c>/api/...</c>, the document's server path) to openapi.json
/// (see <see cref="OpenApiContract"/>), so an end-to-end test that receives an undocumented
/// status, header or field fails. The host's admin routes, and the 502 and 504 that LocalHost
/// itself answers when a worker crashes or times out, are not the app's and pass unchecked; so do
/// the web page and its files (<c>/</c>, <c>/web/...</c>), which are not the API.
/// </summary>
public sealed class ContractCheckingHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var path = request.RequestUri!.AbsolutePath;
        if (path.StartsWith(OpenApiContract.BasePath + "/", StringComparison.Ordinal) && (int)response.StatusCode is not (502 or 504))
        {
            await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            var headers = response.Headers.Select(h => h.Key).Concat(response.Content.Headers.Select(h => h.Key)).ToList();
            OpenApiContract.AssertResponse(request.Method.Method, path, (int)response.StatusCode,
                response.Content.Headers.ContentType?.ToString(), headers, body);
        }

        return response;
    }
}
