using System.Net;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace TinyApp;

public sealed class Functions
{
    [Function("Hello")]
    public static HttpResponseData Hello([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "hello/{name}")] HttpRequestData request, string name)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = request.CreateResponse(HttpStatusCode.OK);
        response.WriteString($"Hello, {name}");
        return response;
    }

    [Function("Echo")]
    public static async Task<HttpResponseData> Echo([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "echo")] HttpRequestData request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = await request.ReadAsStringAsync() ?? "";
        var response = request.CreateResponse(HttpStatusCode.Created);
        response.Headers.Add("X-Echo", request.Query["tag"] ?? "none");
        await response.WriteStringAsync(body.ToUpperInvariant());
        return response;
    }

    [Function("Slow")]
    public static async Task<HttpResponseData> Slow([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "slow")] HttpRequestData request, FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        await Task.Delay(TimeSpan.FromSeconds(30), context.CancellationToken);
        return request.CreateResponse(HttpStatusCode.OK);
    }

    [Function("Crash")]
    public static HttpResponseData Crash([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "crash")] HttpRequestData request)
    {
        Environment.FailFast("Crash requested by the end-to-end test.");
        return request.CreateResponse(HttpStatusCode.OK);
    }
}
