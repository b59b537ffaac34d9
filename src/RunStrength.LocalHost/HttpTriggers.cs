using System.Net;
using System.Text;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using RunStrength.LocalHost.Protocol;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Transforms;

namespace RunStrength.LocalHost;

/// <summary>
/// Serves HTTP triggers on their routes (ASP.NET Core routing, so constraints and precedence work).
/// Workers with ASP.NET Core integration get the raw request forwarded to their own HTTP endpoint,
/// paired with an InvocationRequest by the <c>x-ms-invocation-id</c> header; classic workers get
/// the request as RpcHttp and answer in the invocation response. A disabled function's route answers 404.
/// </summary>
public sealed partial class HttpTriggers(HostSettings settings, WorkerSupervisor supervisor, IHttpForwarder forwarder, FunctionSwitches switches, ILogger<HttpTriggers> logger) : IDisposable
{
    private const string InvocationHeader = "x-ms-invocation-id";

    private readonly HttpMessageInvoker _client = new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        ActivityHeadersPropagator = null,
        ConnectTimeout = TimeSpan.FromSeconds(5),
    });

    public void Dispose() => _client.Dispose();

    public void Map(IEndpointRouteBuilder endpoints, IEnumerable<FunctionDescriptor> functions)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        foreach (var function in functions.Where(f => f.Trigger == TriggerKind.Http))
        {
            var pattern = PathOf(settings.RoutePrefix, function.Route!);
            endpoints.MapMethods(pattern, function.Methods, context => HandleAsync(context, function)).WithDisplayName(function.Name);
        }
    }

    /// <summary>"/{prefix}/{route}", or "/{route}" when the prefix is empty (host.json <c>routePrefix: ""</c>, as the web page at / needs).</summary>
    public static string PathOf(string routePrefix, string route) =>
        "/" + string.Join('/', new[] { routePrefix.Trim('/'), route.Trim('/') }.Where(s => s.Length > 0));

    private async Task HandleAsync(HttpContext context, FunctionDescriptor function)
    {
        if (switches.IsDisabled(function.Name))
        {
            // As the Functions host answers a disabled function's route to anyone without the master key.
            await Problem(context, StatusCodes.Status404NotFound, $"{function.Name} is disabled.").ConfigureAwait(false);
            return;
        }

        WorkerChannel channel;
        try
        {
            channel = await supervisor.ReadyAsync(context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WorkerUnavailableException or TimeoutException)
        {
            await Problem(context, StatusCodes.Status503ServiceUnavailable, "The function worker is not running.").ConfigureAwait(false);
            return;
        }

        var metadata = new Dictionary<string, TypedData>(StringComparer.Ordinal);
        foreach (var (key, value) in context.Request.RouteValues)
        {
            if (value is string text)
            {
                metadata[key] = new TypedData { String = text };
            }
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        timeout.CancelAfter(settings.FunctionTimeout);
        if (channel.HttpUri is { } uri)
        {
            await ForwardAsync(context, channel, uri, function, metadata, timeout.Token).ConfigureAwait(false);
        }
        else
        {
            await InvokeClassicAsync(context, channel, function, metadata, timeout.Token).ConfigureAwait(false);
        }
    }

    private async Task ForwardAsync(HttpContext context, WorkerChannel channel, Uri uri, FunctionDescriptor function, Dictionary<string, TypedData> metadata, CancellationToken cancellationToken)
    {
        var invocationId = Guid.NewGuid().ToString();
        var invocation = channel.InvokeAsync(function, [new ParameterBinding { Name = function.TriggerBindingName, Data = new TypedData { Http = new RpcHttp() } }], metadata, invocationId);
        var transformer = new InvocationTransformer(invocationId);
        var error = await forwarder.SendAsync(context, uri.GetLeftPart(UriPartial.Authority), _client, new ForwarderRequestConfig { ActivityTimeout = settings.FunctionTimeout }, transformer, cancellationToken)
            .ConfigureAwait(false);

        InvocationResponse? response = null;
        try
        {
            response = await invocation.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
        {
            channel.Cancel(invocationId);
            LogTimedOut(logger, function.Name, settings.FunctionTimeout);
            await Problem(context, StatusCodes.Status504GatewayTimeout, $"The function did not finish within {settings.FunctionTimeout}.").ConfigureAwait(false);
            return;
        }
        catch (WorkerUnavailableException e)
        {
            LogInvocationLost(logger, function.Name, e.Message);
        }

        if (error != ForwarderError.None)
        {
            LogForwardFailed(logger, function.Name, error);
            await Problem(context, StatusCodes.Status502BadGateway, "The function worker failed while handling the request.").ConfigureAwait(false);
        }
        else if (response?.Result?.Status == StatusResult.Types.Status.Failure)
        {
            await Problem(context, StatusCodes.Status500InternalServerError, "The function failed.").ConfigureAwait(false);
        }
    }

    private async Task InvokeClassicAsync(HttpContext context, WorkerChannel channel, FunctionDescriptor function, Dictionary<string, TypedData> metadata, CancellationToken cancellationToken)
    {
        var request = context.Request;
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, cancellationToken).ConfigureAwait(false);
        var http = new RpcHttp
        {
            Method = request.Method,
            Url = $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}{request.QueryString}",
            Body = new TypedData { Bytes = ByteString.CopyFrom(body.ToArray()) },
        };
        foreach (var (name, values) in request.Headers)
        {
            http.Headers[name.ToLowerInvariant()] = values.ToString();
            http.NullableHeaders[name.ToLowerInvariant()] = new NullableString { Value = values.ToString() };
        }

        foreach (var (name, values) in request.Query)
        {
            http.Query[name] = values.ToString();
            http.NullableQuery[name] = new NullableString { Value = values.ToString() };
        }

        foreach (var (name, value) in metadata)
        {
            http.Params[name] = value.String;
            http.NullableParams[name] = new NullableString { Value = value.String };
        }

        metadata["Headers"] = new TypedData { Json = System.Text.Json.JsonSerializer.Serialize(http.Headers) };
        InvocationResponse response;
        try
        {
            response = await channel.InvokeAsync(function, [new ParameterBinding { Name = function.TriggerBindingName, Data = new TypedData { Http = http } }], metadata)
                .WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (WorkerUnavailableException)
        {
            await Problem(context, StatusCodes.Status502BadGateway, "The function worker failed while handling the request.").ConfigureAwait(false);
            return;
        }
        catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
        {
            await Problem(context, StatusCodes.Status504GatewayTimeout, $"The function did not finish within {settings.FunctionTimeout}.").ConfigureAwait(false);
            return;
        }

        if (response.Result?.Status == StatusResult.Types.Status.Failure)
        {
            await Problem(context, StatusCodes.Status500InternalServerError, "The function failed.").ConfigureAwait(false);
            return;
        }

        var reply = response.ReturnValue?.Http ?? response.OutputData.Select(o => o.Data?.Http).FirstOrDefault(h => h is not null);
        if (reply is null)
        {
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        context.Response.StatusCode = int.TryParse(reply.StatusCode, out var status) ? status : StatusCodes.Status200OK;
        foreach (var (name, value) in reply.Headers)
        {
            context.Response.Headers[name] = value;
        }

        var bytes = reply.Body?.DataCase switch
        {
            TypedData.DataOneofCase.Bytes => reply.Body.Bytes.ToByteArray(),
            TypedData.DataOneofCase.Stream => reply.Body.Stream.ToByteArray(),
            TypedData.DataOneofCase.String => Encoding.UTF8.GetBytes(reply.Body.String),
            TypedData.DataOneofCase.Json => Encoding.UTF8.GetBytes(reply.Body.Json),
            _ => [],
        };
        await context.Response.Body.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
    }

    internal static async Task Problem(HttpContext context, int status, string detail)
    {
        if (context.Response.HasStarted)
        {
            return;
        }

        context.Response.Clear();
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/problem+json";
        await context.Response.WriteAsJsonAsync(new { type = "about:blank", title = ReasonPhrases(status), status, detail }, context.RequestAborted).ConfigureAwait(false);
    }

    private static string ReasonPhrases(int status) => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status);

    private sealed class InvocationTransformer(string invocationId) : HttpTransformer
    {
        public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
        {
            await Default.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken).ConfigureAwait(false);
            proxyRequest.Headers.Remove(InvocationHeader);
            proxyRequest.Headers.TryAddWithoutValidation(InvocationHeader, invocationId);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Forwarding {Function} to the worker failed: {Error}")]
    private static partial void LogForwardFailed(ILogger logger, string function, ForwarderError error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Invocation of {Function} was lost: {Reason}")]
    private static partial void LogInvocationLost(ILogger logger, string function, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Function} exceeded the function timeout of {Timeout} and was cancelled")]
    private static partial void LogTimedOut(ILogger logger, string function, TimeSpan timeout);
}
