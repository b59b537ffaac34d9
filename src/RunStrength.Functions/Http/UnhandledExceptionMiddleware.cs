using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Logging;

namespace RunStrength.Functions.Http;

/// <summary>
/// The one place unhandled exceptions end: logged with the function's name, answered with a
/// generic 500 problem, never a stack trace.
/// </summary>
public sealed partial class UnhandledExceptionMiddleware(ILogger<UnhandledExceptionMiddleware> logger) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (Exception e) when (!context.CancellationToken.IsCancellationRequested)
        {
            LogUnhandled(logger, e, context.FunctionDefinition.Name, context.InvocationId);
            if (context.GetHttpContext() is null)
            {
                throw;
            }

            context.GetInvocationResult().Value = new ResultAction(Problems.ServerError());
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Function {FunctionName} failed (invocation {InvocationId})")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string functionName, string invocationId);
}
