using System.Net.Http.Json;
using System.Net;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Tests.Support;
using BehaviorPoints.Web.Cli;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BehaviorPoints.Tests.Web.Cli;

public sealed class OperatorCommandsTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await OperatorCommands.RunAsync(api.Services, args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task User_create_makes_a_user_with_the_role_and_a_new_team()
    {
        var (code, output, _) = await RunAsync("user", "create", "--email", "rep@example.com", "--password", "Rep!Pass123", "--role", "sales", "--team", "Pacific");

        Assert.Equal(0, code);
        Assert.Contains("Created user rep@example.com", output);
        await using var scope = api.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await users.FindByEmailAsync("rep@example.com");
        Assert.NotNull(user);
        Assert.True(await users.IsInRoleAsync(user, Roles.Sales));
        Assert.True(await users.CheckPasswordAsync(user, "Rep!Pass123"));
        await using var db = await api.NewContextAsync();
        Assert.Equal(["Pacific"], db.Users.Where(u => u.Email == "rep@example.com").SelectMany(u => u.Teams).Select(t => t.Name).ToList());
    }

    [Fact]
    public async Task User_create_explains_what_is_wrong()
    {
        var badRole = await RunAsync("user", "create", "--email", "x@example.com", "--password", "Rep!Pass123", "--role", "King");
        var weak = await RunAsync("user", "create", "--email", "y@example.com", "--password", "short", "--role", "Manager");
        var missing = await RunAsync("user", "create", "--email", "z@example.com");

        Assert.Equal(1, badRole.Code);
        Assert.Contains("Role 'King' is not one of Administrator, Sales, Manager.", badRole.Error);
        Assert.Equal(1, weak.Code);
        Assert.Contains("Passwords must be at least", weak.Error);
        Assert.Equal(2, missing.Code);
        Assert.Contains("--password is required.", missing.Error);
    }

    [Fact]
    public async Task Apikey_create_prints_a_working_key_alone_on_its_last_line()
    {
        var (code, output, _) = await RunAsync("apikey", "create", "--name", "Marketing cloud", "--scope", "ingest");

        Assert.Equal(0, code);
        var key = output.TrimEnd().Split('\n')[^1].Trim();
        Assert.StartsWith("bp_", key);
        var client = api.ClientWithKey(key);
        var response = await client.PostAsJsonAsync("/api/v1/events", new { eventId = "cli-key-check", behavior = "form.submit", contact = new { email = "cli@example.com" } });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/v1/leads")).StatusCode);
    }

    [Fact]
    public async Task An_unknown_command_prints_the_usage()
    {
        var (code, _, error) = await RunAsync("apikey", "delete");

        Assert.Equal(2, code);
        Assert.Contains("apikey create --name N --scope ingest|admin", error);
    }

    [Fact]
    public async Task A_backup_taken_under_ingest_load_restores_with_every_total_equal_to_its_entries()
    {
        var leadId = await api.CreateLeadAsync(new { name = "Backed up" });
        await api.Get<BehaviorPoints.Core.RuleSets.RuleSetService>().SaveDraftAsync(Build.RuleSet(Build.Rule("Submit form", "form.submit", 7)));
        await api.Get<BehaviorPoints.Core.RuleSets.RuleSetService>().PublishAsync("tests");
        var target = Path.Combine(Path.GetTempPath(), $"bp-backup-{Guid.NewGuid():N}.db");
        using var stop = new CancellationTokenSource();
        var loading = new TaskCompletionSource();
        var load = Task.Run(async () =>
        {
            var client = api.Ingest();
            for (var batch = 0; !stop.IsCancellationRequested && batch < 200; batch++)
            {
                var events = Enumerable.Range(0, 50).Select(i => new { eventId = $"backup-{batch}-{i}", behavior = "form.submit", leadId });
                await client.PostAsJsonAsync("/api/v1/events", new { events });
                loading.TrySetResult();
            }
        });
        // The backup starts while batches are being written.
        await loading.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var (code, output, error) = await RunAsync("backup", "--to", target);
        await stop.CancelAsync();
        await load;

        try
        {
            Assert.True(code == 0, error);
            Assert.Contains("Backed up the database", output);
            using var restored = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={target};Pooling=False");
            restored.Open();
            using var check = restored.CreateCommand();
            check.CommandText = "SELECT COUNT(*) FROM Leads l WHERE l.BehaviorPoints != (SELECT COALESCE(SUM(Points), 0) FROM ScoreEntries e WHERE e.LeadId = l.Id)";
            Assert.Equal(0L, (long)check.ExecuteScalar()!);
            check.CommandText = "SELECT COUNT(*) FROM ScoreEntries e WHERE e.BehaviorId IS NOT NULL AND NOT EXISTS (SELECT 1 FROM Behaviors b WHERE b.Id = e.BehaviorId)";
            Assert.Equal(0L, (long)check.ExecuteScalar()!);
            check.CommandText = "SELECT BehaviorPoints FROM Leads WHERE Id = $id";
            check.Parameters.AddWithValue("$id", leadId);
            Assert.True((long)check.ExecuteScalar()! > 0, "the backup should hold some of the ingest");
        }
        finally
        {
            File.Delete(target);
        }
    }

    [Fact]
    public async Task A_backup_never_overwrites_a_file()
    {
        var target = Path.GetTempFileName();
        try
        {
            var (code, _, error) = await RunAsync("backup", "--to", target);

            Assert.Equal(1, code);
            Assert.Contains("already exists", error);
        }
        finally
        {
            File.Delete(target);
        }
    }

    [Fact]
    public async Task On_postgresql_backup_points_to_pg_dump_and_writes_nothing()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Database:Provider"] = "PostgreSQL",
                ["ConnectionStrings:Default"] = "Host=db.internal;Username=behaviorpoints;Database=behaviorpoints",
            })
            .Build();
        await using var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).BuildServiceProvider();
        var target = Path.Combine(Path.GetTempPath(), $"bp-backup-{Guid.NewGuid():N}.db");
        var (output, error) = (new StringWriter(), new StringWriter());

        var code = await OperatorCommands.RunAsync(services, ["backup", "--to", target], output, error);

        Assert.Equal(2, code);
        Assert.Contains("pg_dump", error.ToString());
        Assert.False(File.Exists(target));
    }
}
