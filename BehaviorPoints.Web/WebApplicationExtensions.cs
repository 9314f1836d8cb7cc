using System.Globalization;
using System.Text.Json.Serialization;
using System.Text.Json;
using BehaviorPoints.Core.Composition;
using BehaviorPoints.Core.Accounts;
using BehaviorPoints.Core.Demo;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Persistence;
using BehaviorPoints.Web.Api;
using BehaviorPoints.Web.Components.Account;
using BehaviorPoints.Web.Components;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using MudBlazor.Services;
using Scalar.AspNetCore;

namespace BehaviorPoints.Web;

/// <summary>The composition root, in named pieces so Program.cs reads like a table of contents.</summary>
internal static class WebApplicationExtensions
{
    public static WebApplicationBuilder AddBehaviorPoints(this WebApplicationBuilder builder)
    {
        var database = DatabaseSettings.From(builder.Configuration["Database:Provider"], builder.Configuration.GetConnectionString("Default"));
        // Answers do not say which server software sent them.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        builder.Services.AddProxySupport(builder.Configuration);
        builder.Services.AddBehaviorPointsCore(database);
        builder.Services.AddHostedService<Background.BackgroundJobWorker<BehaviorPoints.Core.Fit.FitRecalculation>>();
        builder.Services.AddHostedService<Background.BackgroundJobWorker<BehaviorPoints.Core.Scoring.Rescoring>>();
        builder.Services.AddHostedService<Background.BackgroundJobWorker<BehaviorPoints.Core.Scoring.Fading>>();
        builder.Services.AddHostedService<Background.BackgroundJobWorker<BehaviorPoints.Core.Routing.Reclaims>>();
        builder.Services.AddHostedService<Background.BackgroundJobWorker<BehaviorPoints.Core.Routing.RoutingApply>>();
        builder.Services.AddHostedService<Background.BackgroundJobWorker<BehaviorPoints.Core.Webhooks.WebhookDelivery>>();
        builder.Services.AddHostedService<Background.BackgroundJobWorker<BehaviorPoints.Core.Predictive.LikelihoodRefresh>>();
        builder.Services.AddHostedService<Background.BackgroundJobWorker<BehaviorPoints.Core.Predictive.WeeklyRetrain>>();
        builder.Services.AddHostedService<Background.BackgroundJobWorker<BehaviorPoints.Core.Tracking.VisitorLinking>>();
        builder.Services.Configure<BehaviorPoints.Core.Webhooks.WebhookOptions>(builder.Configuration.GetSection("Webhooks"));
        if (database.Provider == DatabaseProvider.Sqlite)
        {
            builder.Services.AddHostedService<Background.WalCheckpointWorker>();
        }
        else
        {
            builder.Services.AddHostedService<Background.ChangeFeedListener>();
        }
        builder.AddIdentity();
        builder.AddApi();
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        // SecurityHeaders sends X-Frame-Options: DENY and frame-ancestors 'none' for every response.
        builder.Services.AddAntiforgery(options => options.SuppressXFrameOptionsHeader = true);
        builder.Services.AddMudServices();
        builder.Services.AddLocalization();
        builder.Services.AddTransient<MudBlazor.MudLocalizer, Localization.MudUiLocalizer>();
        builder.Services.AddScoped<Components.Shared.CurrentLeadAccess>();
        builder.Services.AddScoped<Components.Shared.CurrentUser>();
        builder.Services.AddScoped<Components.Shared.ViewerClock>();
        builder.Services.AddHealthChecks().AddDbContextCheck<BehaviorPointsDbContext>("database");
        return builder;
    }

    private static void AddIdentity(this WebApplicationBuilder builder)
    {
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddScoped<IdentityRedirectManager>();
        builder.Services.AddScoped<AuthenticationStateProvider, IdentityRevalidatingAuthenticationStateProvider>();
        builder.Services.AddAuthentication(options =>
            {
                options.DefaultScheme = IdentityConstants.ApplicationScheme;
                options.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddIdentityCookies();
        builder.Services.AddIdentityCore<ApplicationUser>(options =>
            {
                options.SignIn.RequireConfirmedAccount = false;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                options.User.RequireUniqueEmail = true;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<BehaviorPointsDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders();
        builder.Services.AddAuthorizationBuilder()
            .AddApiPolicies()
            .AddPolicy(Policies.SignedIn, policy => policy.RequireAuthenticatedUser())
            .AddPolicy(Policies.Administrator, policy => policy.RequireRole(Roles.Administrator))
            .AddPolicy(Policies.ManagerOrAdministrator, policy => policy.RequireRole(Roles.Manager, Roles.Administrator));
    }

    private static void AddApi(this WebApplicationBuilder builder)
    {
        builder.Services.ConfigureHttpJsonOptions(options =>
        {
            // Enum values by their codes only (case-insensitive), never by number; numbers as JSON numbers, never as text.
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
            options.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
        });
        builder.Services.AddProblemDetails();
        // A value that does not bind throws, so the exception handler can name the parameter (the default is a bare 400).
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.Services.AddExceptionHandler<ApiExceptionHandler>();
        builder.Services.AddApiRateLimiting(builder.Configuration);
        builder.Services.AddCollector(builder.Configuration);
        builder.Services.AddOpenApi(options => options.AddDocumentTransformer<ApiDocument>());
    }

    /// <summary>Creates and migrates the database, and fills it with demo data when Demo:Seed is on and it is empty.</summary>
    public static async Task InitializeDatabaseAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BehaviorPointsDbContext>();
        await scope.ServiceProvider.GetRequiredService<IDatabaseProvider>().MigrateAsync(db);
        await scope.ServiceProvider.GetRequiredService<UserAdministration>().EnsureRolesAsync();

        if (app.Configuration.GetValue<bool>("Demo:Seed"))
        {
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("BehaviorPoints.Demo");
            // A first start in Chinese (Demo:Language, else the machine's language) names the rule set, its levels,
            // categories and stages, the fit rules and the routing rules in Chinese.
            var language = app.Configuration["Demo:Language"] is { Length: > 0 } configured
                ? CultureInfo.GetCultureInfo(configured)
                : CultureInfo.CurrentUICulture;
            var chinese = Localization.Cultures.IsChinese(language);
            if (await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync(chinese: chinese))
            {
                logger.LogInformation("Demo data created ({Language}): leads, behaviors over the last 90 days and a published rule set",
                    chinese ? "rule set in Chinese" : "rule set in English");
            }
        }
    }

    public static WebApplication UseBehaviorPoints(this WebApplication app)
    {
        // Behind a TLS-terminating proxy: the client's scheme and address first, so cookies are Secure and limits per client.
        app.UseProxySupport();
        // Security headers first, so every answer carries them, refusals (401, 403, 429) included.
        app.UseSecurityHeaders();
        // The API answers every error as problem details; pages show the product's error and not-found pages.
        app.UseWhen(IsApi, api => api.UseExceptionHandler().UseStatusCodePages());
        app.UseWhen(context => !IsApi(context), ui =>
        {
            if (!app.Environment.IsDevelopment())
            {
                ui.UseExceptionHandler("/error", createScopeForErrors: true).UseHsts();
            }
            ui.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        });
        // Routing after the error and status-code pages, so their re-executed request (/error, /not-found) is routed anew:
        // without it an address that matches no route answers the browser's bare 404.
        app.UseRouting();
        // Limits first: a request with a made-up key is counted before any key is looked up.
        app.UseRateLimiter();
        app.UseAuthentication();
        // After authentication: a signed-in user's saved language comes first (the circuit's own request included).
        app.UseRequestLocalization(Localization.Cultures.Options());
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapStaticAssets();
        // Our Content-Security-Policy already says frame-ancestors 'none'; Blazor would add a second, laxer header.
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode(options => options.ContentSecurityFrameAncestorsPolicy = null);
        app.MapAdditionalIdentityEndpoints();
        app.MapLanguageSwitch();
        app.MapRuleSetExport();
        app.MapLeadExports();
        app.MapBehaviorPointsApi();
        app.MapCollector();
        app.MapDemoWebsite();
        app.MapOpenApi();
        // The reference is part of the product: served from the app (no fonts, telemetry or AI agent from outside, so it
        // works offline), without the vendor's own buttons, in the app's colours.
        app.MapScalarApiReference("/api/reference", options => options
            .WithTitle("BehaviorPoints API")
            .WithOpenApiRoutePattern("/openapi/{documentName}.json")
            .AddPreferredSecuritySchemes(ApiDocument.SecuritySchemeName)
            // No made-up key in the form: the reader pastes their own.
            .AddApiKeyAuthentication(ApiDocument.SecuritySchemeName, key => key.Value = "")
            .DisableDefaultFonts()
            .DisableTelemetry()
            .DisableAgent()
            .DisableMcp()
            .HideDeveloperTools()
            .HideClientButton()
            .ForceLightMode()
            .HideDarkModeToggle()
            .WithCustomCss(ApiReferenceStyle.Css));
        app.MapHealthChecks("/healthz");
        return app;
    }

    private static bool IsApi(HttpContext context) =>
        context.Request.Path.StartsWithSegments("/api/v1") || context.Request.Path.StartsWithSegments("/collect");

    /// <summary>Prints where the app listens and the demo sign-ins once the server has started.</summary>
    public static void PrintWelcomeOnStart(this WebApplication app)
    {
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Urls.Count > 0 ? string.Join(", ", app.Urls) : "(see the log above)";
            Console.WriteLine();
            Console.WriteLine($"BehaviorPoints is running at {addresses}");
            Console.WriteLine($"API reference: {app.Urls.FirstOrDefault()}/api/reference");
            if (app.Configuration.GetValue<bool>("Demo:Seed"))
            {
                Console.WriteLine("Demo sign-ins:");
                foreach (var signIn in DemoSeeder.SignIns)
                {
                    Console.WriteLine($"  {signIn.Role,-13} {signIn.Email,-34} {signIn.Password}{(signIn.Team is null ? "" : $"   (team {signIn.Team})")}");
                }
                Console.WriteLine($"A sample company website with the tracker: {app.Urls.FirstOrDefault()}/demo-site/ (its visitors show under Websites)");
            }
            Console.WriteLine();
        });
    }
}

/// <summary>Authorization policy names for pages.</summary>
internal static class Policies
{
    public const string SignedIn = "signed-in";
    public const string Administrator = "administrator";
    public const string ManagerOrAdministrator = "manager-or-administrator";
}
