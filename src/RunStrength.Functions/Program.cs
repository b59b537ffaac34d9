using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using RunStrength.Functions.Audit;
using RunStrength.Functions.Auth;
using RunStrength.Functions.Calendar;
using RunStrength.Functions.Http;
using RunStrength.Functions.Notifications;
using RunStrength.Functions.Plans;
using RunStrength.Functions.RateLimits;
using RunStrength.Functions.Scheduling;
using RunStrength.Functions.Telemetry;
using RunStrength.Functions.Time;
using RunStrength.Functions.Web;
using RunStrength.Storage;

var builder = FunctionsApplication.CreateBuilder(args);

// HTTP triggers take HttpRequest and return ASP.NET Core results.
builder.ConfigureFunctionsWebApplication();

// One place for unhandled exceptions: logged, answered with a generic 500 problem.
builder.UseMiddleware<UnhandledExceptionMiddleware>();

// The app's one clock: the system's, or in Development a test clock set by Clock__Now.
builder.Services.AddRunStrengthClock(builder.Configuration, builder.Environment);

// Table Storage: connection string locally, managed identity in Azure.
builder.Services.AddRunStrengthStorage(builder.Configuration);

// Bearer tokens (or App Service Authentication headers, when trusted); OpenID Connect metadata over HTTPS only.
builder.Services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddSingleton<IValidateOptions<AuthOptions>, AuthStartupValidation>();
builder.Services.AddSingleton<IDocumentRetriever>(new HttpDocumentRetriever { RequireHttps = true });
builder.Services.AddSingleton<IAuthenticator, JwtAuthenticator>();

// Security events (erase, calendar links, profile changes, refused requests) under the RunStrength.Audit category.
builder.Services.AddSingleton<AuditLog>();

// Default-deny: no HTTP function runs for an unauthenticated caller unless it is on the allow-list.
builder.UseMiddleware<AuthenticationMiddleware>();

// Token buckets per user and, for anonymous routes, per client IP: 429 with Retry-After.
builder.Services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
builder.UseMiddleware<RateLimitMiddleware>();

// Plan listings: continuation tokens signed under Cursors__SecretKey, bound to the caller and the query.
builder.Services.AddPlanCursors(builder.Environment);

// Planning in the request: sign-up and profile changes build the weeks due at once.
builder.Services.AddSingleton<WeekPlanner>();

// The private calendar feed: its public base URL and the key of its event UIDs (Calendar__*).
builder.Services.AddRunStrengthCalendar(builder.Environment);

// The weekly run: the hourly due-index tick, its per-shard queue fan-out and the daily reconcile sweep (WeeklyPlan__*).
builder.Services.AddOptions<WeeklyPlanOptions>().BindConfiguration(WeeklyPlanOptions.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddSingleton<WeeklyPlanRunner>();
builder.Services.AddSingleton<DueShardBuilder>();
builder.Services.AddSingleton<DuePlanTick>();
CrashPoints.AddRunStrengthCrashPoints(builder.Services, builder.Configuration, builder.Environment);

// Plan-ready delivery: DeliverPlanReady sends each relayed event by signed webhook and by push (Notifications__*).
builder.Services.AddRunStrengthNotifications(builder.Environment);

// The web client at / signs in with Entra (Web__ClientId, Web__Scope), or in Development with any user id.
builder.Services.AddOptions<WebOptions>().BindConfiguration(WebOptions.Section);

// Last, so it wraps every logger provider: calendar feed tokens and query strings never reach the host's logs.
builder.Services.AddRunStrengthLogRedaction();

builder.Build().Run();
