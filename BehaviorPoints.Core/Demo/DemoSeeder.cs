using System.Text.Json;
using BehaviorPoints.Core.Accounts;
using BehaviorPoints.Core.Behaviors;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Fit;
using BehaviorPoints.Core.Leads;
using BehaviorPoints.Core.Persistence;
using BehaviorPoints.Core.Routing;
using BehaviorPoints.Core.RuleSets;
using BehaviorPoints.Core.Scoring;
using BehaviorPoints.Core.Tracking;
using BehaviorPoints.Core.Webhooks;
using Bogus;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.Demo;

/// <summary>A demo sign-in printed at start.</summary>
public sealed record DemoSignIn(string Role, string Email, string Password, string? Team);

/// <summary>
/// Fills an empty database with demo users, teams, leads, a published rule set and a few thousand behaviors over the
/// last 90 days. Behaviors go through the real ledger, so every total is explained by its entries.
/// </summary>
public sealed class DemoSeeder(
    BehaviorPointsDbContext db,
    UserAdministration userAdministration,
    RuleSetService ruleSets,
    PublishedRuleSets publishedRuleSets,
    FitModelService fitModels,
    PublishedFitModels publishedFitModels,
    WriteGate writeGate,
    UnitOfWork unitOfWork,
    ILedgerStore ledgerStore,
    LeadQueries leadQueries,
    ScoreNotifications notifications,
    BehaviorTypes behaviorTypes,
    ScoreChangeHandlers reactions,
    WebhookOutbox outbox,
    IRoutingStore routingStore,
    IDbContextFactory<BehaviorPointsDbContext> dbFactory,
    JobLeases leases,
    UserSignals signals,
    RoutingRuleService routing,
    SiteService sites,
    Collector collector,
    TimeProvider clock)
{
    /// <summary>The demo's company website (SPEC §16); the app serves its pages at /demo-site/.</summary>
    public const string DemoSiteName = "Demo website";

    /// <summary>The origin the demo website is seeded with; at start the app adds the addresses it listens on.</summary>
    public const string DemoSiteOrigin = "http://localhost";

    public static IReadOnlyList<DemoSignIn> SignIns { get; } =
    [
        new(Roles.Administrator, "admin@behaviorpoints.demo", "Demo!Admin1", null),
        new(Roles.Manager, "manager@behaviorpoints.demo", "Demo!Manager1", null),
        new(Roles.Sales, "sales@behaviorpoints.demo", "Demo!Sales1", "North"),
        new(Roles.Sales, "sales.south@behaviorpoints.demo", "Demo!Sales1", "South"),
    ];

    private static readonly string[] s_teams = ["North", "South", "Enterprise"];

    /// <summary>Colleagues of the demo sign-ins, so round-robin routing has reps to take turns and reclaims someone to go to.</summary>
    private static readonly (string Email, string Name, string Team)[] s_colleagues =
    [
        ("ana.kowalska@behaviorpoints.demo", "Ana Kowalska", "North"),
        ("diego.ruiz@behaviorpoints.demo", "Diego Ruiz", "South"),
        ("mei.chen@behaviorpoints.demo", "Mei Chen", "Enterprise"),
        ("tom.baker@behaviorpoints.demo", "Tom Baker", "Enterprise"),
    ];
    private static readonly string[] s_industries = ["Software", "Manufacturing", "Retail", "Healthcare", "Finance", "Education", "Logistics"];
    private static readonly string[] s_sizes = ["1-10", "11-50", "51-200", "201-1000", "1000+"];
    private static readonly string[] s_regions = ["North America", "Europe", "Asia Pacific", "Latin America"];
    private static readonly string[] s_accounts = ["sharecrm", "marketing_weekly", "sales_tips", "product_news"];

    // Leads whose behaviors all fall in the last hours (see SeedAsync).
    private const int FreshLeads = 10;

    /// <summary>
    /// Seeds when the database has no leads and no users; returns false when it left the database alone. With
    /// <paramref name="chinese"/> the rule set, fit model and routing rules a Chinese administrator sees first are named
    /// in Chinese (the leads and people stay as they are).
    /// </summary>
    public async Task<bool> SeedAsync(int leadCount = 320, bool chinese = false, CancellationToken cancellationToken = default)
    {
        var ruleSet = DemoRuleSet.For(chinese);
        if (await db.Leads.AnyAsync(cancellationToken) || await db.Users.AnyAsync(cancellationToken))
        {
            return false;
        }

        var faker = new Faker("en") { Random = new Randomizer(20261123) };
        await userAdministration.EnsureRolesAsync();
        var owners = new Dictionary<string, string>();
        foreach (var signIn in SignIns)
        {
            var name = signIn.Role == Roles.Sales ? faker.Name.FullName() : $"Demo {signIn.Role}";
            // The manager manages every team: they see every lead and may edit them, as a sales manager would.
            await userAdministration.CreateAsync(signIn.Email, signIn.Password, signIn.Role, signIn.Role == Roles.Manager ? s_teams : signIn.Team is null ? [] : [signIn.Team], name, cancellationToken);
            if (signIn.Team is not null)
            {
                owners[signIn.Team] = signIn.Email;
            }
        }

        foreach (var (email, name, team) in s_colleagues)
        {
            await userAdministration.CreateAsync(email, $"Demo!{Guid.NewGuid():N}", Roles.Sales, [team], name, cancellationToken);
        }

        await ruleSets.SaveDraftAsync(ruleSet, cancellationToken);
        await ruleSets.PublishAsync(SignIns[0].Email, cancellationToken);

        await fitModels.SaveDraftAsync(DemoFitModel.For(chinese), cancellationToken);
        await fitModels.PublishAsync(SignIns[0].Email, cancellationToken);

        // Replay 90 days: each lead is created a little before its first behavior, and each day's behaviors are scored
        // with the clock at that day, so the dashboard's weekly trend has a history to show.
        var now = clock.GetUtcNow().UtcDateTime;
        var replayClock = new ReplayClock(now);
        var replayLedger = new Ledger(unitOfWork, publishedRuleSets, writeGate, ledgerStore, notifications, reactions, replayClock);
        var replayFollowUps = new FollowUps(dbFactory, unitOfWork, signals, outbox, replayClock);
        var replayReclaims = new Reclaims(dbFactory, unitOfWork, leases, routingStore, signals, outbox, replayClock);
        await routing.SaveAsync(DemoRouting.For(chinese), SignIns[0].Email, cancellationToken);
        var replayLeads = new LeadCommands(publishedRuleSets, publishedFitModels, replayLedger, leadQueries, unitOfWork, notifications, outbox, replayClock);
        var catalog = await behaviorTypes.CatalogAsync(cancellationToken);

        var plans = new List<LeadPlan>();
        for (var i = 0; i < leadCount; i++)
        {
            var engagement = faker.Random.WeightedRandom([Engagement.Cold, Engagement.Warm, Engagement.Hot], [0.4f, 0.38f, 0.22f]);
            var count = engagement switch
            {
                Engagement.Hot => faker.Random.Int(25, 45),
                Engagement.Warm => faker.Random.Int(7, 13),
                _ => faker.Random.Int(1, 6),
            };
            // The last few leads turned hot in the last hours: routed today, their tasks open or overdue when the demo starts.
            var fresh = i >= leadCount - FreshLeads;
            if (fresh)
            {
                engagement = Engagement.Hot;
            }
            var outcome = fresh ? LeadStatus.Open : DrawOutcome(faker, engagement);
            plans.Add(Lifetime(faker, i, engagement, count, outcome, fresh, now));
        }
        // Behaviors from people who are not leads yet: kept unlinked until a lead with their email appears.
        var strangers = Enumerable.Range(0, 40).Select(_ => (At: now.AddMinutes(-faker.Random.Int(5, 90 * 24 * 60)), Email: faker.Internet.Email().ToLowerInvariant())).ToList();

        var leadIds = new Dictionary<int, long>();
        var sequence = 0;
        for (var day = now.Date.AddDays(-90); day <= now.Date; day = day.AddDays(1))
        {
            var dayEnd = day.AddDays(1) < now ? day.AddDays(1).AddSeconds(-1) : now;
            foreach (var plan in plans.Where(p => p.CreatedAt.Date == day))
            {
                replayClock.Now = plan.CreatedAt;
                leadIds[plan.Index] = (await replayLeads.CreateAsync(NewLead(faker, plan, owners), LeadAccess.All, cancellationToken)).Id;
            }

            var events = plans
                .SelectMany(p => p.BehaviorTimes.Where(t => t.Date == day).Select(t => RandomEvent(faker, $"demo-{++sequence:D6}", t, p.Engagement, leadIds[p.Index], null))
                    .Concat(p.Signals.Where(s => s.At.Date == day).Select(s => SignalEvent(faker, $"demo-{++sequence:D6}", s, leadIds[p.Index]))))
                .Concat(strangers.Where(s => s.At.Date == day).Select(s => RandomEvent(faker, $"demo-{++sequence:D6}", s.At, Engagement.Cold, null, s.Email)))
                .Select(json => EventReader.Read(json, dayEnd, catalog).Behavior!)
                .OrderBy(e => e.OccurredAtUtc)
                .ToList();
            // The last two days hour by hour, so today's follow-up tasks fall due at different times: some are open, some overdue.
            var slices = day >= now.Date.AddDays(-1)
                ? Enumerable.Range(1, 24).Select(h => day.AddHours(h) < now ? day.AddHours(h).AddSeconds(-1) : now).Distinct().ToList()
                : [dayEnd];
            var from = day;
            foreach (var sliceEnd in slices.Where(e => e >= day && e <= now))
            {
                var slice = events.Where(e => e.OccurredAtUtc >= from && e.OccurredAtUtc <= sliceEnd).ToList();
                from = sliceEnd.AddTicks(1);
                if (slice.Count > 0)
                {
                    replayClock.Now = sliceEnd;
                    await replayLedger.IngestAsync(slice, cancellationToken);
                }
                await WorkTheTasksAsync(replayFollowUps, replayReclaims, replayClock, sliceEnd, now, cancellationToken);
            }

            // Sales close the leads whose time has come: won or lost, after everything they did before.
            foreach (var plan in plans.Where(p => p.CloseAt?.Date == day).OrderBy(p => p.CloseAt))
            {
                replayClock.Now = plan.CloseAt!.Value;
                var lead = (await leadQueries.FindAsync(leadIds[plan.Index], LeadAccess.All, cancellationToken))!;
                await replayLeads.UpdateAsync(lead.Id, lead.ToInput() with { Status = plan.Outcome }, LeadAccess.All, cancellationToken, lead.OwnerEmail);
            }
        }

        // The reps have read what the bell told them before today.
        await unitOfWork.WriteAsync(scope => scope.Db.UserNotifications.Where(n => n.CreatedAt < now.AddDays(-1))
            .ExecuteUpdateAsync(n => n.SetProperty(x => x.ReadAt, now), cancellationToken), cancellationToken);

        // Sales have qualified the marketing-qualified leads they are working with or have won: moved by hand.
        replayClock.Now = now;
        var (marketingQualified, salesQualified) = (ruleSet.Stages[2].Name, ruleSet.Stages[3].Name);
        var qualified = await db.Leads.AsNoTracking()
            .Where(l => l.Stage == marketingQualified && (l.Status == LeadStatus.Qualified || l.Status == LeadStatus.Converted))
            .Select(l => new { l.Id, Owner = l.Owner != null ? l.Owner.Email : null })
            .ToListAsync(cancellationToken);
        foreach (var lead in qualified)
        {
            await replayLeads.MoveStageAsync(lead.Id, salesQualified, lead.Owner ?? SignIns[0].Email, LeadAccess.All, cancellationToken);
        }
        await SeedWebsiteAsync(faker, now, cancellationToken);
        return true;
    }

    // The demo website with its first visitors: a few anonymous ones, one who filled in the contact form (a new lead
    // once the app runs), and a crawler held back.
    private async Task SeedWebsiteAsync(Faker faker, DateTime now, CancellationToken cancellationToken)
    {
        var site = (await sites.CreateAsync(new SiteInput { Name = DemoSiteName, Origins = [DemoSiteOrigin], Team = "North" }, cancellationToken)).Site;
        const string person = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
        async Task VisitAsync(string userAgent, int minutesAgo, string[] paths, (string Email, string Name)? contactForm = null)
        {
            var visitor = Convert.ToHexStringLower(faker.Random.Bytes(16));
            var events = paths.Select((path, i) => (object)new
            {
                id = $"{visitor}-{i + 1}",
                behavior = "website.visit",
                at = now.AddMinutes(-minutesAgo + 2 * i).ToString("O"),
                attributes = new { url = $"{DemoSiteOrigin}/demo-site{path}", path = "/demo-site" + path, title = "Northwind Analytics", source = i == 0 ? "search" : "direct" },
                sinceLoad = 40_000,
            }).ToList();
            if (contactForm is { } who)
            {
                events.Add(new
                {
                    id = $"{visitor}-form",
                    behavior = "form.submit",
                    at = now.AddMinutes(-minutesAgo + 2 * paths.Length).ToString("O"),
                    attributes = new { formId = "contact-sales", formName = "Contact sales" },
                    identify = new { email = who.Email, name = who.Name },
                    sinceLoad = 45_000,
                });
            }
            var body = JsonSerializer.SerializeToElement(new { key = site.PublishableKey, visitorId = visitor, events }, CoreJson.Options);
            await collector.CollectAsync(body, new CollectContext(DemoSiteOrigin, userAgent, false), cancellationToken);
        }
        await VisitAsync(person, 240, ["/", "/pricing"]);
        await VisitAsync(person, 180, ["/", "/customers", "/pricing"]);
        await VisitAsync(person, 95, ["/whitepaper"]);
        await VisitAsync(person, 60, ["/", "/pricing", "/pricing"], ("lena.fischer@example.com", "Lena Fischer"));
        await VisitAsync("Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", 30, ["/", "/pricing", "/customers", "/whitepaper"]);
    }

    /// <summary>
    /// The reps at work on the day that ends at <paramref name="dayEnd"/>: most tasks are done within their due time, some
    /// late, and about one in ten lapses, so the lead is reclaimed and goes to a colleague. Each task's fate follows from its
    /// id, so the demo is the same on every fresh start; tasks of the last hours are still open, some of them overdue.
    /// </summary>
    private async Task WorkTheTasksAsync(FollowUps followUps, Reclaims reclaims, ReplayClock replayClock, DateTime dayEnd, DateTime now, CancellationToken cancellationToken)
    {
        var open = await db.FollowUpTasks.AsNoTracking().Include(t => t.Assignee).Where(t => t.Status == FollowUpStatus.Open).OrderBy(t => t.Id).ToListAsync(cancellationToken);
        var done = new List<(FollowUpTask Task, DateTime At, FollowUpOutcome Outcome, string? Note)>();
        foreach (var task in open)
        {
            var fate = new Random((int)(task.Id * 7919 % int.MaxValue));
            var roll = fate.NextDouble();
            if (roll < 0.1 || task.CreatedAt > now.AddHours(-8))
            {
                continue; // lapses (the reclaim takes it), or, for a task of the last hours, still waits for its rep
            }
            var minutes = roll < 0.8 ? fate.Next(5, Math.Max(6, task.DueAfterMinutes)) : fate.Next(task.DueAfterMinutes, task.DueAfterMinutes + Math.Max(1, task.GraceMinutes));
            var at = task.CreatedAt.AddMinutes(minutes);
            if (at <= dayEnd)
            {
                var outcome = fate.NextDouble() switch { < 0.6 => FollowUpOutcome.Contacted, < 0.9 => FollowUpOutcome.NotReached, _ => FollowUpOutcome.Disqualified };
                var note = outcome switch
                {
                    FollowUpOutcome.Contacted => fate.Next(3) switch { 0 => "Booked a demo for next week.", 1 => "Interested; sent the pricing sheet.", _ => null },
                    FollowUpOutcome.NotReached => "Left a voicemail.",
                    _ => "No budget this year.",
                };
                done.Add((task, at, outcome, note));
            }
        }
        foreach (var (task, at, outcome, note) in done.OrderBy(d => d.At))
        {
            replayClock.Now = at;
            await followUps.CompleteAsync(task.Id, outcome, note, new Actor(task.AssigneeId, task.Assignee?.DisplayName ?? task.Assignee?.Email ?? "the rep", LeadAccess.All), cancellationToken);
        }
        replayClock.Now = dayEnd;
        await reclaims.RunAsync(cancellationToken);
    }

    /// <summary>
    /// One demo lead: how engaged, when created, when its everyday behaviors happen, how it ends (<see cref="Outcome"/>,
    /// at <see cref="CloseAt"/>; open leads have none) and the buying signals that tell the outcome, noisily.
    /// </summary>
    private sealed record LeadPlan(
        int Index, Engagement Engagement, DateTime CreatedAt, IReadOnlyList<DateTime> BehaviorTimes, LeadStatus Outcome, DateTime? CloseAt,
        IReadOnlyList<Signal> Signals);

    /// <summary>A behavior that tells a lead's outcome: a pricing-page visit, a webinar, a demo request, or the purchase after a win.</summary>
    private sealed record Signal(DateTime At, string Kind);

    /// <summary>How a lead ends: hot leads are won far more often than cold ones, which are mostly lost or left open.</summary>
    private static LeadStatus DrawOutcome(Faker faker, Engagement engagement) => engagement switch
    {
        Engagement.Hot => faker.Random.WeightedRandom([LeadStatus.Open, LeadStatus.Qualified, LeadStatus.Converted, LeadStatus.Lost], [0.2f, 0.2f, 0.45f, 0.15f]),
        Engagement.Warm => faker.Random.WeightedRandom([LeadStatus.Open, LeadStatus.Qualified, LeadStatus.Converted, LeadStatus.Lost], [0.38f, 0.2f, 0.22f, 0.2f]),
        _ => faker.Random.WeightedRandom([LeadStatus.Open, LeadStatus.Converted, LeadStatus.Lost], [0.59f, 0.06f, 0.35f]),
    };

    /// <summary>
    /// When a lead lives and what it does, with the demo's known truth (SPEC §13). An open lead's behaviors spread over
    /// the last 90 days (the fresh ones' over the last hours). A lead that closes lives two to eight weeks before its
    /// close: one that is won shows buying signals in its last two weeks (pricing-page visits, a webinar, a demo request)
    /// four times in five, closes a day or so after its last behavior and buys the day after; one that is lost goes
    /// quiet for weeks before it closes, though one in seven looked at the pricing page.
    /// </summary>
    private static LeadPlan Lifetime(Faker faker, int index, Engagement engagement, int count, LeadStatus outcome, bool fresh, DateTime now)
    {
        if (!Lead.IsClosed(outcome))
        {
            var times = Enumerable.Range(0, count).Select(_ => now.AddMinutes(-faker.Random.Int(5, fresh ? 7 * 60 : 90 * 24 * 60))).Order().ToList();
            var created = times[0].AddHours(-faker.Random.Int(1, 72));
            return new LeadPlan(index, engagement, created < now.AddDays(-90) ? now.AddDays(-90) : created, times, outcome, null, []);
        }

        var won = outcome == LeadStatus.Converted;
        var closeAt = now.AddDays(-faker.Random.Double(2, 40));
        var end = won ? closeAt.AddHours(-faker.Random.Int(12, 96)) : closeAt.AddDays(-faker.Random.Int(10, 30));
        var start = end.AddDays(-faker.Random.Int(14, 56));
        start = start < now.AddDays(-89) ? now.AddDays(-89) : start;
        var lived = Math.Max(1, (int)(end - start).TotalMinutes);
        var everyday = Enumerable.Range(0, count).Select(_ => start.AddMinutes(faker.Random.Int(0, lived))).Order().ToList();
        var createdAt = start.AddHours(-faker.Random.Int(1, 24));

        var signals = new List<Signal>();
        var signalCount = won ? (faker.Random.Bool(0.8f) ? faker.Random.Int(2, 5) : 0) : (faker.Random.Bool(0.15f) ? faker.Random.Int(1, 2) : 0);
        var from = end.AddDays(-14) > createdAt ? end.AddDays(-14) : createdAt.AddHours(1);
        var window = Math.Max(1, (int)(end - from).TotalMinutes);
        for (var i = 0; i < signalCount; i++)
        {
            signals.Add(new Signal(from.AddMinutes(faker.Random.Int(0, window)), faker.Random.WeightedRandom(["pricing", "webinar", "demo"], [0.5f, 0.3f, 0.2f])));
        }
        if (won && closeAt.AddDays(1) < now)
        {
            signals.Add(new Signal(closeAt.AddDays(1), "purchase"));
        }
        return new LeadPlan(index, engagement, createdAt < now.AddDays(-90) ? now.AddDays(-90) : createdAt, everyday, outcome, closeAt, signals);
    }

    private static JsonElement SignalEvent(Faker faker, string eventId, Signal signal, long leadId)
    {
        var (behavior, attributes) = signal.Kind switch
        {
            "pricing" => ("website.visit", (object)new { url = "https://example.com/pricing", source = faker.PickRandom("direct", "search") }),
            "webinar" => ("webinar.attend", new { webinarId = faker.PickRandom("wb-101", "wb-102", "wb-201") }),
            "demo" => ("form.submit", new { formId = "demo-request", formName = "Request a demo" }),
            _ => ("purchase", new { amount = faker.Random.Int(1000, 8000), productId = faker.Commerce.Ean8() }),
        };
        return JsonSerializer.SerializeToElement(new { eventId, behavior, occurredAt = signal.At, leadId, attributes }, CoreJson.Options);
    }

    private static LeadInput NewLead(Faker faker, LeadPlan plan, Dictionary<string, string> owners)
    {
        var person = new Person("en", faker.Random.Int());
        var team = faker.PickRandom(s_teams);
        // A lead that will close is created open; sales close it later (SeedAsync).
        var status = Lead.IsClosed(plan.Outcome) ? LeadStatus.Open : plan.Outcome;
        // Hot leads lean towards the profile the demo fit model targets, so fit and intent mostly agree, not always.
        var onProfile = faker.Random.Bool(plan.Engagement switch { Engagement.Hot => 0.6f, Engagement.Warm => 0.3f, _ => 0.12f });
        return new LeadInput
        {
            Name = person.FullName,
            Company = person.Company.Name,
            Email = person.Email.ToLowerInvariant(),
            Phone = faker.Random.Bool(0.6f) ? faker.Phone.PhoneNumber("+1 (###) ###-####") : null,
            ExternalId = $"mkt-{10000 + plan.Index}",
            // Most new leads wait in their team's pool until routing hands them to a rep.
            OwnerEmail = faker.Random.Bool(0.25f) ? owners.GetValueOrDefault(team) : null,
            Team = team,
            Status = status,
            Industry = onProfile ? faker.PickRandom("Software", "Finance") : faker.PickRandom(s_industries),
            CompanySize = onProfile ? faker.PickRandom("201-1000", "1000+") : faker.PickRandom(s_sizes),
            JobTitle = onProfile && faker.Random.Bool() ? faker.PickRandom("Head of Marketing", "Sales Director", "VP Operations") : faker.Name.JobTitle(),
            Region = faker.PickRandom(s_regions),
        };
    }

    private sealed class ReplayClock(DateTime start) : TimeProvider
    {
        public DateTime Now { get; set; } = start;

        public override DateTimeOffset GetUtcNow() => new(Now, TimeSpan.Zero);
    }

    private enum Engagement
    {
        Cold,
        Warm,
        Hot,
    }

    private static JsonElement RandomEvent(Faker faker, string eventId, DateTime occurredAt, Engagement engagement, long? leadId, string? email)
    {
        var strong = engagement == Engagement.Hot ? 0.35f : engagement == Engagement.Warm ? 0.2f : 0.05f;
        var (behavior, attributes) = faker.Random.Float() < strong
            ? faker.Random.Int(0, 5) switch
            {
                0 => ("form.submit", (object)new { formId = "demo-request", formName = "Request a demo" }),
                1 => ("conference.register", new { conferenceId = "summit-2026", conferenceName = "Customer Summit 2026" }),
                2 => ("webinar.attend", new { webinarId = faker.PickRandom("wb-101", "wb-102", "wb-201") }),
                3 => ("content.download", new { contentId = faker.Random.AlphaNumeric(6), contentType = "document", title = faker.Commerce.ProductName() + " whitepaper" }),
                4 => ("website.visit", new { url = "https://example.com/pricing", source = faker.PickRandom("direct", "ads", "search") }),
                _ => ("purchase", (object)new { amount = faker.Random.Int(200, 5000), productId = faker.Commerce.Ean8() }),
            }
            : faker.Random.Int(0, 9) switch
            {
                0 => ("official_account.follow", (object)new { accountId = faker.PickRandom(s_accounts), accountName = "Official account" }),
                1 => ("content.view", new { contentId = faker.Random.AlphaNumeric(6), contentType = faker.PickRandom("article", "product", "video", "microsite"), title = faker.Lorem.Sentence(4), durationSeconds = faker.Random.Int(5, 600) }),
                2 => ("content.view", new { contentId = faker.Random.AlphaNumeric(6), contentType = "article", title = faker.Lorem.Sentence(4), durationSeconds = faker.Random.Int(5, 300) }),
                3 => ("email.open", new { mailingId = faker.PickRandom("nov-newsletter", "product-launch", "webinar-invite") }),
                4 => ("email.click", new { mailingId = faker.PickRandom("nov-newsletter", "product-launch"), url = faker.Internet.Url() }),
                5 => ("website.visit", new { url = faker.Internet.UrlWithPath(), source = faker.PickRandom("direct", "ads", "search", "social") }),
                6 => ("content.share", new { contentId = faker.Random.AlphaNumeric(6), contentType = "article" }),
                7 => ("official_account.unfollow", new { accountId = faker.PickRandom(s_accounts) }),
                8 => ("email.unsubscribe", new { mailingId = "nov-newsletter" }),
                _ => ("call_center.contact", new { channel = "phone", location = faker.Address.City() }),
            };
        // Unfollows and unsubscribes are rarer than the rest.
        if (behavior is "official_account.unfollow" or "email.unsubscribe" && faker.Random.Bool(0.7f))
        {
            (behavior, attributes) = ("email.open", new { mailingId = "nov-newsletter" });
        }

        return JsonSerializer.SerializeToElement(new
        {
            eventId,
            behavior,
            occurredAt,
            leadId,
            contact = email is null ? null : new { email },
            attributes,
        }, CoreJson.Options);
    }
}
