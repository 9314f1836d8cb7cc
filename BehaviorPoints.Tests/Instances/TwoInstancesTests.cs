using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BehaviorPoints.Core.Composition;
using BehaviorPoints.Core.Accounts;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Leads;
using BehaviorPoints.Core.Persistence;
using BehaviorPoints.Core.RuleSets;
using BehaviorPoints.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace BehaviorPoints.Tests.Instances;

/// <summary>
/// Two real app processes on one PostgreSQL database, as behind a load balancer: ingest through both at once, a job
/// taken over when its instance is killed, a sign-in made on one accepted by the other, and a page on one updating
/// live from an event sent to the other. Runs in test.sh's PostgreSQL pass (SQLite is one process on one file).
/// </summary>
[Trait("Category", "PostgreSqlOnly")]
public sealed class TwoInstancesTests : IAsyncLifetime
{
    private const int Leads = 3_000;
    private const string Email = "rep@instances.test";
    private const string Password = "Instances!Pass1";

    // Development serves the static web assets (MudBlazor, blazor.web.js) from the build output for the browser test.
    private static readonly Dictionary<string, string> s_settings = new() { ["ASPNETCORE_ENVIRONMENT"] = "Development" };

    private TestDatabase _database = null!;
    private string _key = "";
    private AppProcess _a = null!;
    private AppProcess _b = null!;

    public async Task InitializeAsync()
    {
        Assert.True(TestDatabase.OnPostgres, "these tests need BP_TEST_POSTGRES (test.sh's PostgreSQL pass)");
        _database = await TestDatabase.CreateAsync("bp-instances");
        await using (var services = Services())
        {
            var ruleSets = services.GetRequiredService<RuleSetService>();
            await ruleSets.SaveDraftAsync(Build.RuleSet(Build.Rule("Submit form", "form.submit", 7).Limited(3, "day")));
            await ruleSets.PublishAsync("tests");
            _key = (await services.GetRequiredService<ApiKeyService>().CreateAsync("instances", ApiKeyScope.Admin)).Key;
            await using (var scope = services.CreateAsyncScope())
            {
                await scope.ServiceProvider.GetRequiredService<UserAdministration>().EnsureRolesAsync();
                await scope.ServiceProvider.GetRequiredService<UserAdministration>().CreateAsync(Email, Password, Roles.Administrator, []);
            }
            var commands = services.GetRequiredService<LeadCommands>();
            var inputs = Enumerable.Range(0, Leads).Select(i => new LeadInput { Name = $"Lead {i}", Team = "North" }).ToList();
            foreach (var chunk in inputs.Chunk(500))
            {
                await commands.CreateManyAsync(chunk, LeadAccess.All);
            }
        }
        _a = await AppProcess.StartAsync(_database.Settings, s_settings);
        _b = await AppProcess.StartAsync(_database.Settings, s_settings);
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        await _database.DisposeAsync();
    }

    private ServiceProvider Services()
    {
        var services = new ServiceCollection().AddLogging().AddBehaviorPointsCore(_database.Settings);
        services.AddIdentityCore<ApplicationUser>().AddRoles<IdentityRole>().AddEntityFrameworkStores<BehaviorPointsDbContext>();
        return services.BuildServiceProvider();
    }

    private static object Batch(string prefix, int batch, int leads = Leads) => new
    {
        events = Enumerable.Range(0, 100).Select(i => new { eventId = $"{prefix}-{batch}-{i}", behavior = "form.submit", leadId = 1 + (batch * 100 + i) % leads }),
    };

    [Fact]
    public async Task The_same_events_sent_through_both_instances_at_once_are_scored_once_within_their_limits()
    {
        using var a = _a.Client(_key);
        using var b = _b.Client(_key);
        var statuses = new ConcurrentBag<string>();

        // Both instances get every batch, at the same time: 4,000 events, four for each of 1,000 leads.
        await Task.WhenAll(new[] { a, b }.Select(client => Task.Run(async () =>
        {
            for (var batch = 0; batch < 40; batch++)
            {
                var response = await client.PostAsJsonAsync("/api/v1/events", Batch("both", batch, leads: 1_000));
                response.EnsureSuccessStatusCode();
                foreach (var result in (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("results").EnumerateArray())
                {
                    statuses.Add(result.GetProperty("status").GetString()!);
                }
            }
        })));

        // Each event once: scored or, past the limit of three a day, not matched; the other copy a duplicate.
        Assert.Equal(3_000, statuses.Count(s => s == "scored"));
        Assert.Equal(1_000, statuses.Count(s => s == "no_match"));
        Assert.Equal(4_000, statuses.Count(s => s == "duplicate"));
        await using var services = Services();
        await using var db = await services.GetRequiredService<IDbContextFactory<BehaviorPointsDbContext>>().CreateDbContextAsync();
        Assert.Equal(4_000, await db.Behaviors.CountAsync(b => b.EventId.StartsWith("both-")));
        Assert.Equal(3_000 * 7L, await db.ScoreEntries.Where(e => e.EventId!.StartsWith("both-")).SumAsync(e => (long)e.Points));
        Assert.Equal(0, await db.Leads.CountAsync(l => db.ScoreEntries.Count(e => e.LeadId == l.Id && e.Kind == ScoreEntryKind.Rule) > 3));
        Assert.Equal(0, await db.Leads.CountAsync(l => l.BehaviorPoints != (db.ScoreEntries.Where(e => e.LeadId == l.Id).Sum(e => (long?)e.Points) ?? 0)));
    }

    [Fact]
    public async Task A_re_score_whose_instance_is_killed_is_finished_by_the_other()
    {
        using (var a = _a.Client(_key))
        {
            for (var batch = 0; batch < Leads / 100; batch++)
            {
                (await a.PostAsJsonAsync("/api/v1/events", Batch("rescore", batch))).EnsureSuccessStatusCode();
            }
            var draft = await (await a.GetAsync("/api/v1/rule-set")).Content.ReadFromJsonAsync<JsonElement>();
            var changed = JsonSerializer.Serialize(draft).Replace("\"points\":7", "\"points\":5");
            (await a.PutAsync("/api/v1/rule-set", new StringContent(changed, System.Text.Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
            (await a.PostAsync("/api/v1/rule-set/publish?mode=rescore", null)).EnsureSuccessStatusCode();
        }

        await using var services = Services();
        var factory = services.GetRequiredService<IDbContextFactory<BehaviorPointsDbContext>>();
        async Task<(LeadJobRun? Run, JobLease? Lease)> StateAsync()
        {
            await using var db = await factory.CreateDbContextAsync();
            return (await db.LeadJobRuns.AsNoTracking().Where(r => r.Job == "rescore").OrderByDescending(r => r.Id).FirstOrDefaultAsync(),
                await db.JobLeases.AsNoTracking().FirstOrDefaultAsync(l => l.Job == "rescore"));
        }

        // Wait until one instance is part-way through the run, then kill that one.
        var (run, lease) = await WaitForAsync(StateAsync, s => s.Run is { Done: > 0, FinishedAt: null } && s.Lease is not null, TimeSpan.FromSeconds(60));
        var holder = lease!.Holder.Contains($":{_a.ProcessId}:", StringComparison.Ordinal) ? _a : _b;
        var survivor = holder == _a ? _b : _a;
        holder.Kill();
        var doneAtKill = run!.Done;

        // The survivor takes the lease over once it runs out and finishes from the stored position.
        var (finished, finalLease) = await WaitForAsync(StateAsync, s => s.Run!.FinishedAt is not null, TimeSpan.FromSeconds(90));
        Assert.True(finished!.Done >= Leads && doneAtKill < Leads, $"done {doneAtKill} at the kill, {finished.Done} at the end");
        Assert.Contains($":{survivor.ProcessId}:", finalLease!.Holder, StringComparison.Ordinal);
        await using var db = await factory.CreateDbContextAsync();
        Assert.Equal(Leads, await db.Leads.CountAsync(l => l.RescoredVersion == 2));
        Assert.Equal(0, await db.ScoreEntries.CountAsync(e => e.Kind == ScoreEntryKind.Rule && e.RuleSetVersion != 2));
        Assert.Equal(0, await db.Leads.CountAsync(l => l.BehaviorPoints != (db.ScoreEntries.Where(e => e.LeadId == l.Id).Sum(e => (long?)e.Points) ?? 0)));
    }

    [Fact]
    public async Task Leads_made_High_through_both_instances_at_once_are_each_routed_once_and_no_turn_is_given_twice()
    {
        const int Routed = 300;
        await using (var services = Services())
        await using (var scope = services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserAdministration>();
            foreach (var rep in new[] { "ana", "bo", "cy" })
            {
                await users.CreateAsync($"{rep}@instances.test", Password, Roles.Sales, ["North"]);
            }
        }
        using var a = _a.Client(_key);
        using var b = _b.Client(_key);
        (await a.PutAsJsonAsync("/api/v1/routing-rules", new
        {
            rules = new[]
            {
                new
                {
                    name = "Hot leads North",
                    trigger = new { intentLevel = "High" },
                    assign = new { mode = "round_robin", team = "North" },
                    task = new { dueAfterMinutes = 240, graceMinutes = 60, maxReclaims = 2 },
                    minIntervalDays = 7,
                },
            },
        })).EnsureSuccessStatusCode();

        // Half the leads made High through each instance, both at once: each adjustment routes in its own transaction.
        await Task.WhenAll(new[] { a, b }.Select((client, instance) => Task.Run(async () =>
        {
            for (var lead = 1 + instance; lead <= Routed; lead += 2)
            {
                (await client.PostAsJsonAsync($"/api/v1/leads/{lead}/adjustments", new { points = 150, reason = "Met at the fair" })).EnsureSuccessStatusCode();
            }
        })));

        await using var check = Services();
        await using var db = await check.GetRequiredService<IDbContextFactory<BehaviorPointsDbContext>>().CreateDbContextAsync();
        Assert.Equal(Routed, await db.FollowUpTasks.CountAsync());
        Assert.Equal(Routed, await db.FollowUpTasks.Select(t => t.LeadId).Distinct().CountAsync());
        Assert.Equal(Routed, await db.Leads.CountAsync(l => l.OwnerId != null));
        // One rotation across both instances: the turns went ana, bo, cy, ana, ... whichever instance took them.
        var perRep = await db.FollowUpTasks.GroupBy(t => t.AssigneeId).Select(g => g.Count()).ToListAsync();
        Assert.Equal([Routed / 3, Routed / 3, Routed / 3], perRep);
    }

    [Fact]
    public async Task A_reps_bell_and_task_count_open_on_one_instance_update_when_the_other_routes_a_lead_to_them()
    {
        const string Rep = "bell@instances.test";
        await using (var services = Services())
        await using (var scope = services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<UserAdministration>().CreateAsync(Rep, Password, Roles.Sales, ["North"]);
        }
        using var a = _a.Client(_key);
        (await a.PutAsJsonAsync("/api/v1/routing-rules", new
        {
            rules = new[]
            {
                new
                {
                    name = "Hot leads to the bell",
                    trigger = new { intentLevel = "High" },
                    assign = new { mode = "user", userEmail = Rep },
                    task = new { dueAfterMinutes = 240, graceMinutes = 60, maxReclaims = 0 },
                    minIntervalDays = 7,
                },
            },
        })).EnsureSuccessStatusCode();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var page = await (await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = _b.Address.ToString() })).NewPageAsync();
        await page.GotoAsync("/Account/Login");
        await page.FillAsync("#Input\\.Email", Rep);
        await page.FillAsync("#Input\\.Password", Password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForSelectorAsync("[data-interactive=yes]");
        await page.GotoAsync("/tasks");
        await page.WaitForSelectorAsync("[data-interactive=yes]");
        await Assertions.Expect(page.Locator("[data-testid=bell] button")).ToHaveAttributeAsync("aria-label", "Notifications, none unread");

        // Instance A makes lead 9 High: the routing commits there; B's page hears of it through the change feed.
        (await a.PostAsJsonAsync("/api/v1/leads/9/adjustments", new { points = 150, reason = "Met at the fair" })).EnsureSuccessStatusCode();

        await Assertions.Expect(page.Locator("[data-testid=bell] button")).ToHaveAttributeAsync("aria-label", "Notifications, 1 unread", new() { Timeout = 20_000 });
        await Assertions.Expect(page.Locator("[data-testid=task-count]")).ToHaveTextAsync("1");
        await Assertions.Expect(page.Locator("[data-testid=task-table]")).ToContainTextAsync("Hot leads to the bell");
    }

    [Fact]
    public async Task A_sign_in_made_on_one_instance_is_accepted_by_the_other()
    {
        var cookies = new CookieContainer();
        using var onA = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = _a.Address };
        await FormSignIn.SignInAsync(onA, Email, Password);

        // The same cookies, sent to the other instance (as a load balancer would after a failover).
        foreach (System.Net.Cookie cookie in cookies.GetCookies(_a.Address))
        {
            cookies.Add(_b.Address, new System.Net.Cookie(cookie.Name, cookie.Value, "/", _b.Address.Host));
        }
        using var onB = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = _b.Address };
        var page = await onB.GetAsync("/admin/users");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    [Fact]
    public async Task A_lead_page_open_on_one_instance_updates_when_the_other_scores_the_lead()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var page = await (await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = _b.Address.ToString() })).NewPageAsync();
        await page.GotoAsync("/Account/Login");
        await page.FillAsync("#Input\\.Email", Email);
        await page.FillAsync("#Input\\.Password", Password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForSelectorAsync("[data-interactive=yes]");
        await page.GotoAsync("/leads/7");
        await page.WaitForSelectorAsync("[data-interactive=yes]");
        var before = long.Parse(await page.InnerTextAsync("[data-testid=total-value]"), System.Globalization.CultureInfo.InvariantCulture);

        using var a = _a.Client(_key);
        (await a.PostAsJsonAsync("/api/v1/events", new { eventId = $"live-{Guid.NewGuid():N}", behavior = "form.submit", leadId = 7 })).EnsureSuccessStatusCode();

        await Assertions.Expect(page.Locator("[data-testid=total-value]")).ToHaveTextAsync((before + 7).ToString(System.Globalization.CultureInfo.InvariantCulture), new() { Timeout = 20_000 });
        await Browser.BrowserFixture.ScreenshotAsync(page, "instance-b-live");
    }

    private static async Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }
            Assert.True(DateTime.UtcNow < deadline, $"not reached within {timeout.TotalSeconds} s: {JsonSerializer.Serialize(value)}");
            await Task.Delay(50);
        }
    }
}
