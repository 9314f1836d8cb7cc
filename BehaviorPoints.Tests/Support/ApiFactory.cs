using System.Net.Http.Json;
using BehaviorPoints.Core.Accounts;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Persistence;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BehaviorPoints.Tests.Support;

/// <summary>
/// The whole app in memory over a database of its own (never the developer's: a SQLite file, or a PostgreSQL database in
/// test.sh's second pass), with one key per scope and one revoked key. Shared by the tests of a class; tests use
/// distinct event ids and leads.
/// </summary>
public class ApiFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    // The app creates and migrates a SQLite file itself, as on a first start; a PostgreSQL one comes migrated.
    private readonly TestDatabase _database = TestDatabase.CreateAsync("bp-api", migrated: false).GetAwaiter().GetResult();

    /// <summary>What the app logged at Warning and above, and its closed circuits.</summary>
    public AppLog Log { get; } = new();

    /// <summary>Whether the app runs its background jobs (fading, webhooks, reclaims, …); false leaves the database to the requests.</summary>
    protected virtual bool RunsBackgroundJobs => true;

    public string IngestKey { get; private set; } = "";
    public string AdminKey { get; private set; } = "";
    public string RevokedKey { get; private set; } = "";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        // Static web assets (MudBlazor, blazor.web.js) are wired automatically only in Development.
        builder.UseStaticWebAssets();
        builder.UseSetting("Database:Provider", _database.Settings.Provider.ToString());
        builder.UseSetting("ConnectionStrings:Default", _database.Settings.ConnectionString);
        builder.UseSetting("Demo:Seed", "false");
        // The webhook tests' receivers listen on loopback.
        builder.UseSetting("Webhooks:AllowPrivateNetworks", "true");
        // The suites send thousands of requests without a valid key (the authorization matrix, the fuzz suite);
        // the limit for those is tested on its own factory.
        builder.UseSetting("Api:RateLimit:UnauthenticatedPerSecond", "100000");
        builder.UseSetting("Api:RateLimit:UnauthenticatedBurst", "100000");
        // The collector tests send a few hundred requests from one address; a visitor's own limit stays as shipped.
        builder.UseSetting("Collector:RateLimit:PerAddressPerSecond", "100000");
        builder.UseSetting("Collector:RateLimit:PerAddressBurst", "100000");
        builder.ConfigureLogging(logging => logging.AddProvider(Log));
        builder.ConfigureServices(services =>
        {
            services.AddScoped<CircuitHandler, AppLog.ClosedCircuits>(_ => new AppLog.ClosedCircuits(Log));
            // A browser that goes away without saying so leaves its circuit for this long (three minutes by default).
            services.Configure<CircuitOptions>(options => options.DisconnectedCircuitRetentionPeriod = TimeSpan.FromSeconds(2));
        });
        builder.ConfigureTestServices(services =>
        {
            if (!RunsBackgroundJobs)
            {
                foreach (var worker in services.Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType?.Name.StartsWith("BackgroundJobWorker", StringComparison.Ordinal) == true).ToList())
                {
                    services.Remove(worker);
                }
            }
        });
    }

    public async Task InitializeAsync()
    {
        var keys = Services.GetRequiredService<ApiKeyService>();
        IngestKey = (await keys.CreateAsync("Marketing system", ApiKeyScope.Ingest)).Key;
        AdminKey = (await keys.CreateAsync("CRM sync", ApiKeyScope.Admin)).Key;
        var revoked = await keys.CreateAsync("Old key", ApiKeyScope.Admin);
        await keys.RevokeAsync(revoked.Id);
        RevokedKey = revoked.Key;
    }

    public HttpClient ClientWithKey(string? key)
    {
        var client = CreateClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
        }
        return client;
    }

    public HttpClient Admin() => ClientWithKey(AdminKey);

    public HttpClient Ingest() => ClientWithKey(IngestKey);

    /// <summary>Creates a lead through the API and returns its id.</summary>
    public async Task<long> CreateLeadAsync(object lead)
    {
        var response = await Admin().PostAsJsonAsync("/api/v1/leads", lead);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetInt64();
    }

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    /// <summary>
    /// Publishes <paramref name="rules"/> and creates <paramref name="users"/> (email, role, team) the first time a test
    /// class of this app asks; later calls find them there. Returns whether this call did it.
    /// </summary>
    public async Task<bool> SetUpOnceAsync(BehaviorPoints.Core.Engine.RuleDefinition[] rules, params (string Email, string Role, string Team)[] users)
    {
        var ruleSets = Get<BehaviorPoints.Core.RuleSets.RuleSetService>();
        if (await ruleSets.GetPublishedVersionAsync() is not null)
        {
            return false;
        }
        await ruleSets.SaveDraftAsync(Build.RuleSet(rules));
        await ruleSets.PublishAsync("tests");
        await using var scope = Services.CreateAsyncScope();
        foreach (var (email, role, team) in users)
        {
            await scope.ServiceProvider.GetRequiredService<UserAdministration>().CreateAsync(email, "User!Pass1", role, [team]);
        }
        return true;
    }

    public async Task<BehaviorPointsDbContext> NewContextAsync() =>
        await Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<BehaviorPointsDbContext>>().CreateDbContextAsync();

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await _database.DisposeAsync();
    }
}

/// <summary>
/// The app with its background jobs stopped, so that only the tests' requests change its database: for checking that a
/// refused request changed nothing, row by row.
/// </summary>
public sealed class QuietApiFactory : ApiFactory
{
    /// <summary>What a request changes even when refused: the key it came with is marked used.</summary>
    public static readonly IReadOnlySet<string> MarkedWhenUsed = new HashSet<string> { "ApiKeys.LastUsedAt" };

    protected override bool RunsBackgroundJobs => false;
}
