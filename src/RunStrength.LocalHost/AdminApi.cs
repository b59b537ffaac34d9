using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using RunStrength.LocalHost.Protocol;

namespace RunStrength.LocalHost;

/// <summary>
/// The host's admin routes: <c>POST /admin/functions/{name}</c> runs a non-HTTP function now (as
/// the Functions host does, disabled or not), <c>POST /admin/functions/{name}/disable</c> and
/// <c>/enable</c> switch a function's trigger off and on, <c>GET /admin/host/status</c> reports the
/// worker and its functions.
/// Only for this machine's own tools: a loopback <c>Host</c> (no DNS rebinding), no <c>Origin</c>
/// (no web page), and this run's admin token in <c>x-functions-key</c>.
/// </summary>
internal static class AdminApi
{
    public const string KeyHeader = "x-functions-key";

    public static void Map(WebApplication app, IReadOnlyList<FunctionDescriptor> functions, string adminToken)
    {
        var admin = app.MapGroup("/admin").AddEndpointFilter(async (context, next) => Refusal(context.HttpContext.Request, adminToken) ?? await next(context));

        admin.MapPost("/functions/{name}", async (string name, HttpContext context) =>
        {
            var function = functions.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));
            if (function is null)
            {
                return Results.Problem(statusCode: 404, detail: $"No function named '{name}'.");
            }

            if (function.Trigger == TriggerKind.Http)
            {
                return Results.Problem(statusCode: 400, detail: $"{function.Name} is an HTTP function: call its route.");
            }

            var timers = context.RequestServices.GetRequiredService<Timers>();
            try
            {
                InvocationResponse response;
                if (function.Trigger == TriggerKind.Timer)
                {
                    var schedule = Timers.Parse(context.RequestServices.GetRequiredService<HostSettings>().Resolve(function.Schedule!));
                    response = await timers.InvokeAsync(function, isPastDue: false, last: null, next: schedule.GetNextOccurrence(DateTime.UtcNow), context.RequestAborted);
                }
                else
                {
                    var input = await ReadInputAsync(context);
                    var channel = await context.RequestServices.GetRequiredService<WorkerSupervisor>().ReadyAsync(context.RequestAborted);
                    response = await channel.InvokeAsync(function, [new ParameterBinding { Name = function.TriggerBindingName, Data = new TypedData { String = input } }], new Dictionary<string, TypedData>());
                }

                return response.Result?.Status == StatusResult.Types.Status.Failure
                    ? Results.Problem(statusCode: 500, detail: response.Result.Exception?.Message ?? "The function failed.")
                    : Results.Json(new { invocationId = response.InvocationId, status = "succeeded" }, statusCode: StatusCodes.Status202Accepted);
            }
            catch (Exception e) when (e is WorkerUnavailableException or TimeoutException)
            {
                return Results.Problem(statusCode: 503, detail: e.Message);
            }
        });

        // The portal's Enable and Disable buttons, without the restart: a disabled function's trigger is ignored.
        admin.MapPost("/functions/{name}/enable", (string name, FunctionSwitches switches) => Switch(name, disabled: false, switches));
        admin.MapPost("/functions/{name}/disable", (string name, FunctionSwitches switches) => Switch(name, disabled: true, switches));

        async Task<IResult> Switch(string name, bool disabled, FunctionSwitches switches)
        {
            var function = functions.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));
            if (function is null)
            {
                return Results.Problem(statusCode: 404, detail: $"No function named '{name}'.");
            }

            if (disabled)
            {
                await switches.DisableAsync(function.Name);
            }
            else
            {
                switches.Set(function.Name, disabled: false);
            }

            return Results.Json(new { name = function.Name, disabled = switches.IsDisabled(function.Name) });
        }

        admin.MapGet("/host/status", (WorkerSupervisor supervisor, HostSettings settings, FunctionSwitches switches) => Results.Json(new
        {
            state = supervisor.WorkerProcessId is null ? "Starting" : "Running",
            workerProcessId = supervisor.WorkerProcessId,
            restarts = supervisor.Restarts,
            functions = functions.Select(f => new
            {
                name = f.Name,
                trigger = f.Trigger.ToString().ToLowerInvariant(),
                route = f.Route,
                schedule = f.Schedule,
                disabled = switches.IsDisabled(f.Name),
                queueName = f.Trigger == TriggerKind.Queue ? QueueNameOrError(settings, f) : null,
            }),
        }));
    }

    /// <summary>Null when the request may use the admin API; otherwise the 403 or 401 to answer.</summary>
    public static IResult? Refusal(HttpRequest request, string adminToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var host = request.Host.Host.Trim('[', ']');
        if (!(string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address))))
        {
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, detail: "The admin API answers only to a loopback Host (localhost, 127.0.0.1, [::1]).");
        }

        if (request.Headers.Origin.Count > 0)
        {
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, detail: "The admin API refuses requests with an Origin header: no web page may call it.");
        }

        var given = Encoding.UTF8.GetBytes(request.Headers[KeyHeader].ToString());
        return CryptographicOperations.FixedTimeEquals(given, Encoding.UTF8.GetBytes(adminToken))
            ? null
            : Results.Problem(statusCode: StatusCodes.Status401Unauthorized, detail: $"Send this run's admin token (printed at start) in {KeyHeader}.");
    }

    /// <summary>The resolved queue name, or why it cannot be resolved (a missing <c>%Setting%</c>).</summary>
    public static string QueueNameOrError(HostSettings settings, FunctionDescriptor function)
    {
        try
        {
            return QueueTriggers.QueueNameOf(settings, function);
        }
        catch (InvalidOperationException e)
        {
            return $"(unresolved: {e.Message})";
        }
    }

    private static async Task<string> ReadInputAsync(HttpContext context)
    {
        if (context.Request.ContentLength is null or 0)
        {
            return "";
        }

        using var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        return body.RootElement.TryGetProperty("input", out var input) ? input.ToString() : "";
    }
}
