using BehaviorPoints.Core.Accounts;
using BehaviorPoints.Core.Behaviors;
using BehaviorPoints.Core.Dashboard;
using BehaviorPoints.Core.Demo;
using BehaviorPoints.Core.Fit;
using BehaviorPoints.Core.Leads;
using BehaviorPoints.Core.Persistence;
using BehaviorPoints.Core.PostgreSql;
using BehaviorPoints.Core.Routing;
using BehaviorPoints.Core.RuleSets;
using BehaviorPoints.Core.Scoring;
using BehaviorPoints.Core.Sqlite;
using BehaviorPoints.Core.Tracking;
using BehaviorPoints.Core.Webhooks;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Polly;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.DependencyInjection;

namespace BehaviorPoints.Core.Composition;

/// <summary>
/// Core's composition root: registers the database provider, every module's services and, in order, the reactions to a
/// score change. It lives apart from the shared types at Core's root so that no module depends on it.
/// </summary>
public static class DependencyInjection
{
    /// <summary>Core over the embedded SQLite file in <paramref name="connectionString"/>.</summary>
    public static IServiceCollection AddBehaviorPointsCore(this IServiceCollection services, string connectionString) =>
        services.AddBehaviorPointsCore(new DatabaseSettings(DatabaseProvider.Sqlite, connectionString));

    public static IServiceCollection AddBehaviorPointsCore(this IServiceCollection services, DatabaseSettings database)
    {
        if (database.Provider == DatabaseProvider.PostgreSql)
        {
            services.AddPostgreSqlDatabase(database.ConnectionString);
        }
        else
        {
            services.AddSqliteDatabase(database.ConnectionString);
        }
        services.AddSingleton<AppInstance>();
        services.AddSingleton<JobLeases>();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<WriteGate>();
        services.AddSingleton<UnitOfWork>();
        services.AddSingleton<PublishedRuleSets>();
        services.AddSingleton<BehaviorTypes>();
        services.AddSingleton<ScoreNotifications>();
        services.AddSingleton<PublishedRoutingRules>();
        services.AddSingleton<UserSignals>();
        services.AddSingleton<FollowUps>();
        services.AddSingleton<NotificationCenter>();
        services.AddSingleton<Reclaims>();
        services.AddSingleton<RoutingApply>();
        services.AddSingleton<RoutingRuleService>();
        services.AddSingleton<SpeedToLeadService>();
        services.AddWebhooks();

        // What happens after a score changes, in this order, inside the scoring transaction (see ScoreChangeHandlers).
        services.AddSingleton<ScoreChangeHandlers>();
        services.AddScoreChangeHandler<ScoreChangeEvents>();   // webhooks: lead.intent_level_changed, lead.category_threshold_reached
        services.AddScoreChangeHandler<LeadRouter>();          // routing rules whose trigger a lead entered

        services.AddSingleton<Ledger>();
        services.AddSingleton<Rescoring>();
        services.AddSingleton<Fading>();
        services.AddSingleton<RescorePreview>();
        services.AddSingleton<RuleSetService>();
        services.AddSingleton<LeadQueries>();
        services.AddSingleton<LeadFunnelQueries>();
        services.AddSingleton<LeadCommands>();
        services.AddSingleton<ScoreHistory>();
        services.AddSingleton<LeadCsv>();
        services.AddSingleton<ApiKeyService>();
        services.AddSingleton<LeadAccessService>();
        services.AddSingleton<UserDirectory>();
        services.AddSingleton<TeamService>();
        services.AddSingleton<OverviewService>();
        services.AddSingleton<DashboardService>();
        services.AddSingleton<PublishedFitModels>();
        services.AddSingleton<FitRecalculation>();
        services.AddSingleton<FitModelService>();
        services.AddSingleton<Predictive.TrainingData>();
        services.AddSingleton<Predictive.LiveConversionModel>();
        services.AddSingleton<Predictive.LikelihoodRefresh>();
        services.AddSingleton<Predictive.ConversionModels>();
        services.AddSingleton<Predictive.WeeklyRetrain>();
        services.AddSingleton<Predictive.RuleInsights>();
        services.AddSingleton<IdentifySecrets>();
        services.AddSingleton<SiteKeys>();
        services.AddSingleton<BotDetectors>();
        services.AddSingleton<VisitorActivity>();
        services.AddSingleton<VisitorCache>();
        services.AddSingleton<VisitorLinking>();
        services.AddSingleton<VisitorIdentity>();
        services.AddSingleton<Collector>();
        services.AddSingleton<SegmentSource>();
        services.AddSingleton<SiteService>();
        services.AddScoped<UserAdministration>();
        services.AddScoped<DemoSeeder>();
        return services;
    }

    // The outbox, the delivery worker and its HTTP client: redirects not followed, only permitted addresses connected
    // to, the attempt's timeout from the resilience pipeline (the retry schedule is the outbox's own: it spans hours and restarts).
    private static void AddWebhooks(this IServiceCollection services)
    {
        services.AddOptions<WebhookOptions>();
        // The key ring lives in the database: sign-in cookies made by one app instance are accepted by every other, and
        // the webhook secrets it protects can be read by every process that opens the database.
        services.AddDataProtection().PersistKeysToDbContext<BehaviorPointsDbContext>().SetApplicationName("BehaviorPoints");
        services.AddSingleton<WebhookSecrets>();
        services.AddSingleton<WebhookDelivery>();
        services.AddSingleton<WebhookOutbox>();
        services.AddSingleton<WebhookEndpoints>();
        services.AddHttpClient(WebhookDelivery.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp =>
            {
                var options = sp.GetRequiredService<IOptionsMonitor<WebhookOptions>>();
                return new System.Net.Http.SocketsHttpHandler
                {
                    AllowAutoRedirect = false,
                    UseCookies = false,
                    PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                    ConnectCallback = WebhookNetwork.Connect(() => options.CurrentValue.AllowPrivateNetworks),
                };
            })
            .AddResilienceHandler("webhook-attempt", (pipeline, context) =>
                pipeline.AddTimeout(context.ServiceProvider.GetRequiredService<IOptions<WebhookOptions>>().Value.Timeout));
    }
}
