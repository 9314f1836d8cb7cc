using System.Text.Json;
using BehaviorPoints.Core;
using BehaviorPoints.Core.Accounts;
using BehaviorPoints.Core.Behaviors;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Engine;
using BehaviorPoints.Core.Leads;
using BehaviorPoints.Core.Persistence;
using BehaviorPoints.Core.Routing;
using BehaviorPoints.Core.RuleSets;
using BehaviorPoints.Core.Scoring;
using BehaviorPoints.Core.Webhooks;
using BehaviorPoints.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static BehaviorPoints.Tests.Support.Build;

namespace BehaviorPoints.Tests.Core.Webhooks;

/// <summary>
/// Webhooks out (SPEC §11) against a real receiver on loopback: the outbox written with the change it reports, signed
/// deliveries a Standard Webhooks library verifies, retries with the same id, the verdicts on answers, the order per lead.
/// The delivery worker is driven by hand here (<see cref="DeliverAsync"/>), with the test clock moved past each retry.
/// </summary>
public sealed class WebhookTests : IAsyncLifetime
{
    private static readonly TimeSpan s_retry = TimeSpan.FromSeconds(1);
    private CoreDatabase _database = null!;
    private WebhookReceiver _receiver = null!;

    // Two demo requests (60 each) make a lead High; pricing counts in the CRM category.
    private static readonly RuleSetDefinition s_rules = RuleSet(
            Rule("Demo request", "form.submit", 60),
            Rule("Pricing", "website.visit", 30).In("CRM"))
        .WithFunnel(["CRM"], "New", "Engaged");

    public async Task InitializeAsync()
    {
        _database = await CoreDatabase.CreateAsync(services => services.Configure<WebhookOptions>(o =>
        {
            o.AllowPrivateNetworks = true;
            o.RetrySchedule = [s_retry, s_retry, s_retry, s_retry];
        }));
        // Receivers check the signature's timestamp against their own clock.
        _database.Clock.Now = DateTimeOffset.UtcNow;
        var ruleSets = _database.Get<RuleSetService>();
        await ruleSets.SaveDraftAsync(s_rules);
        await ruleSets.PublishAsync("tests");
        await _database.CreateUserAsync("ana@example.com", Roles.Sales, "North");
        _receiver = await WebhookReceiver.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await _database.DisposeAsync();
    }

    private WebhookEndpoints Endpoints => _database.Get<WebhookEndpoints>();

    private Task<WebhookEndpointWithSecret> RegisterAsync(params string[] events) =>
        Endpoints.CreateAsync(new WebhookEndpointInput(_receiver.Url, events.Length == 0 ? WebhookEventTypes.All : events), "tests");

    private async Task<long> CreateLeadAsync(string name = "Zofia Nowak") =>
        (await _database.Get<LeadCommands>().CreateAsync(new LeadInput { Name = name, Team = "North" }, LeadAccess.All)).Id;

    private async Task SendAsync(string behavior, params long[] leadIds)
    {
        var now = _database.Clock.GetUtcNow().UtcDateTime;
        var batch = leadIds.Select(id => EventReader.Read(Json(new { eventId = Guid.NewGuid().ToString("N"), behavior, leadId = id, occurredAt = now.AddSeconds(-1).ToString("O") }), now, BehaviorCatalog.BuiltInOnly))
            .Select(r => r.Behavior ?? throw new InvalidOperationException(r.Error))
            .ToList();
        await _database.Get<Ledger>().IngestAsync(batch);
    }

    // Runs the delivery worker until nothing is due, moving the clock past each retry; at most `rounds` runs.
    private async Task DeliverAsync(int rounds = 10)
    {
        var delivery = _database.Get<WebhookDelivery>();
        for (var i = 0; i < rounds && await PendingAsync() > 0; i++)
        {
            await delivery.RunAsync();
            _database.Clock.Advance(s_retry * 1.2);
        }
    }

    private async Task<int> PendingAsync()
    {
        await using var db = await _database.NewContextAsync();
        return await db.WebhookMessages.CountAsync(m => m.Status == WebhookMessageStatus.Pending && db.WebhookEndpoints.Any(e => e.Id == m.EndpointId && e.Enabled));
    }

    private async Task<List<WebhookMessage>> MessagesAsync()
    {
        await using var db = await _database.NewContextAsync();
        return await db.WebhookMessages.AsNoTracking().OrderBy(m => m.Id).ToListAsync();
    }

    private static void Verify(string secret, ReceivedWebhook received) => received.VerifyWith(secret);

    [Fact]
    public void The_signature_matches_the_standard_webhooks_test_vector()
    {
        // The vector the Standard Webhooks reference libraries test against.
        Assert.Equal(
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
            WebhookSignature.Sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, """{"test": 2432232314}"""));
    }

    [Fact]
    public async Task A_lead_reaching_High_is_reported_signed_and_the_library_verifies_it()
    {
        var (_, secret) = await RegisterAsync(LeadIntentLevelChanged.TypeName);
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.True(Convert.FromBase64String(secret["whsec_".Length..]).Length >= 24);
        var lead = await CreateLeadAsync();

        await SendAsync("form.submit", lead, lead);
        await DeliverAsync();

        var received = Assert.Single(_receiver.Received);
        Verify(secret, received);
        using var body = JsonDocument.Parse(received.Body);
        Assert.Equal(LeadIntentLevelChanged.TypeName, body.RootElement.GetProperty("type").GetString());
        var data = body.RootElement.GetProperty("data");
        Assert.Equal((lead, "Low", "High", 120L), (data.GetProperty("leadId").GetInt64(), data.GetProperty("from").GetString(), data.GetProperty("to").GetString(), data.GetProperty("total").GetInt64()));
        Assert.True(data.TryGetProperty("at", out _));
        Assert.StartsWith("msg_", received.Id, StringComparison.Ordinal);
        // Only the subscribed type: the lead's creation went to nobody.
        Assert.Single(await MessagesAsync());
    }

    [Fact]
    public async Task A_receiver_failing_the_first_attempts_gets_every_message_in_the_end_with_the_same_id_each_try()
    {
        var (_, secret) = await RegisterAsync();
        _receiver.Answer = (_, i) => Task.FromResult(i < 3 ? 503 : 204);
        var leads = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            leads.Add(await CreateLeadAsync($"Lead {i}"));
        }
        await SendAsync("form.submit", [.. leads, .. leads]);

        await DeliverAsync();

        var messages = await MessagesAsync();
        Assert.Equal(10, messages.Count); // five created, five reaching High
        Assert.All(messages, m => Assert.Equal(WebhookMessageStatus.Delivered, m.Status));
        Assert.Equal(messages.Select(m => m.MessageId).Order(), _receiver.Accepted.Select(r => r.Id).Order());
        // Each try of a message carried its id and the same body; every request verifies.
        foreach (var group in _receiver.Received.GroupBy(r => r.Id))
        {
            Assert.Single(group.Select(r => r.Body).Distinct());
            Assert.Equal(messages.Single(m => m.MessageId == group.Key).Attempts, group.Count());
        }
        Assert.All(_receiver.Received, r => Verify(secret, r));
        Assert.Equal(3, _receiver.Received.Count(r => r.Status == 503));

        var log = await Endpoints.DeliveriesAsync(messages[0].EndpointId);
        Assert.Equal(13, log!.Count);
        Assert.Contains(log, d => d is { StatusCode: 503, Succeeded: false } && d.Response!.Contains("receiver says 503", StringComparison.Ordinal));
        Assert.Null((await Endpoints.FindAsync(messages[0].EndpointId))!.FailingSince);
    }

    [Fact]
    public async Task A_lead_s_messages_arrive_in_order_even_when_the_first_must_be_retried()
    {
        await RegisterAsync();
        var lead = await CreateLeadAsync();
        await SendAsync("form.submit", lead, lead);
        // lead.created is refused once; lead.intent_level_changed must not overtake it.
        var refusedOnce = false;
        _receiver.Answer = (r, _) => Task.FromResult(r.Body.Contains(LeadCreated.TypeName, StringComparison.Ordinal) && !refusedOnce && (refusedOnce = true) ? 500 : 204);

        await DeliverAsync();

        var types = _receiver.Received.Select(r => (JsonDocument.Parse(r.Body).RootElement.GetProperty("type").GetString(), r.Status)).ToList();
        Assert.Equal([(LeadCreated.TypeName, 500), (LeadCreated.TypeName, 204), (LeadIntentLevelChanged.TypeName, 204)], types);
    }

    [Fact]
    public async Task Routing_reports_the_assignment_and_the_task_after_the_level_change_with_the_rep_s_email()
    {
        await _database.Get<RoutingRuleService>().SaveAsync(new RoutingRuleList
        {
            Rules =
            [
                new RoutingRuleDefinition
                {
                    Name = "Hot leads North",
                    Trigger = new RoutingTriggerDefinition { IntentLevel = "High" },
                    Assign = new RoutingAssignDefinition { Mode = RoutingAssignDefinition.RoundRobinMode, Team = "North" },
                    Task = new RoutingTaskDefinition { DueAfterMinutes = 60, GraceMinutes = 30, MaxReclaims = 1 },
                },
            ],
        }, "tests");
        await RegisterAsync(LeadIntentLevelChanged.TypeName, LeadAssigned.TypeName, TaskCreated.TypeName, TaskOverdue.TypeName);
        var lead = await CreateLeadAsync();
        await SendAsync("form.submit", lead, lead);
        await DeliverAsync();

        var bodies = _receiver.Received.Select(r => JsonDocument.Parse(r.Body).RootElement).ToList();
        Assert.Equal([LeadIntentLevelChanged.TypeName, LeadAssigned.TypeName, TaskCreated.TypeName], bodies.Select(b => b.GetProperty("type").GetString()));
        Assert.Equal("ana@example.com", bodies[1].GetProperty("data").GetProperty("ownerEmail").GetString());
        var task = bodies[2].GetProperty("data");
        Assert.Equal("ana@example.com", task.GetProperty("assigneeEmail").GetString());
        Assert.True(task.GetProperty("taskId").GetInt64() > 0);

        // Overdue an hour later, from the reclaim worker's transaction.
        _database.Clock.Advance(TimeSpan.FromMinutes(61));
        await _database.Get<Reclaims>().RunAsync();
        _receiver.Received.Clear();
        await DeliverAsync();
        var overdue = Assert.Single(_receiver.Received);
        Assert.Contains(TaskOverdue.TypeName, overdue.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_category_reaching_its_threshold_is_reported_once()
    {
        await RegisterAsync(LeadCategoryThresholdReached.TypeName);
        var lead = await CreateLeadAsync();
        await SendAsync("website.visit", lead);
        await SendAsync("website.visit", lead);
        await DeliverAsync();

        var received = Assert.Single(_receiver.Received);
        var data = JsonDocument.Parse(received.Body).RootElement.GetProperty("data");
        Assert.Equal(("CRM", 30L, 1L), (data.GetProperty("category").GetString(), data.GetProperty("score").GetInt64(), data.GetProperty("threshold").GetInt64()));
    }

    [Fact]
    public async Task A_change_that_rolls_back_writes_no_message()
    {
        await RegisterAsync();
        var outbox = _database.Get<WebhookOutbox>();
        await Assert.ThrowsAsync<InvalidOperationException>(() => _database.Get<UnitOfWork>().WriteAsync(async scope =>
        {
            await outbox.AddAsync(scope, [new LeadIntentLevelChanged(1, "Low", "High", 120, DateTime.UtcNow)], CancellationToken.None);
            throw new InvalidOperationException("The change fails after its event was added.");
        }));

        Assert.Empty(await MessagesAsync());
        await DeliverAsync();
        Assert.Empty(_receiver.Received);
    }

    [Fact]
    public async Task Answers_decide_a_message_s_fate_4xx_fails_for_good_410_disables_the_endpoint()
    {
        var (endpoint, _) = await RegisterAsync(LeadCreated.TypeName);
        _receiver.Answer = (_, _) => Task.FromResult(400);
        await CreateLeadAsync();
        await DeliverAsync();
        Assert.Equal((WebhookMessageStatus.Failed, 1), (await MessagesAsync()).Select(m => (m.Status, m.Attempts)).Single());

        _receiver.Answer = (_, _) => Task.FromResult(429);
        await CreateLeadAsync("Retried");
        await _database.Get<WebhookDelivery>().RunAsync();
        Assert.Equal(WebhookMessageStatus.Pending, (await MessagesAsync())[1].Status);

        _receiver.Answer = (_, _) => Task.FromResult(410);
        await DeliverAsync();
        var gone = (await Endpoints.FindAsync(endpoint.Id))!;
        Assert.False(gone.Enabled);
        Assert.Contains("410", gone.DisabledReason, StringComparison.Ordinal);
        // The message waits for the endpoint to be enabled again.
        Assert.Equal(WebhookMessageStatus.Pending, (await MessagesAsync())[1].Status);

        _receiver.Answer = (_, _) => Task.FromResult(200);
        await Endpoints.SetEnabledAsync(endpoint.Id, true);
        await DeliverAsync();
        Assert.Equal(WebhookMessageStatus.Delivered, (await MessagesAsync())[1].Status);
    }

    [Fact]
    public async Task An_endpoint_failing_for_three_days_is_disabled_and_warned_about_after_one()
    {
        var (endpoint, _) = await RegisterAsync(LeadCreated.TypeName);
        _receiver.Answer = (_, _) => Task.FromResult(503);
        await CreateLeadAsync();
        await _database.Get<WebhookDelivery>().RunAsync();
        Assert.Empty(await Endpoints.TroubledAsync());

        _database.Clock.Advance(TimeSpan.FromDays(1.1));
        await CreateLeadAsync("A day later");
        await _database.Get<WebhookDelivery>().RunAsync();
        Assert.Equal(endpoint.Id, Assert.Single(await Endpoints.TroubledAsync()).Id);

        _database.Clock.Advance(TimeSpan.FromDays(2));
        await CreateLeadAsync("Three days later");
        await _database.Get<WebhookDelivery>().RunAsync();
        var disabled = (await Endpoints.FindAsync(endpoint.Id))!;
        Assert.False(disabled.Enabled);
        Assert.Contains("failing without a success", disabled.DisabledReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_a_rotation_both_secrets_sign_until_the_overlap_ends()
    {
        var (endpoint, oldSecret) = await RegisterAsync(LeadCreated.TypeName);
        var newSecret = await Endpoints.RotateSecretAsync(endpoint.Id);
        Assert.NotNull(newSecret);
        Assert.NotEqual(oldSecret, newSecret);
        await CreateLeadAsync();
        await DeliverAsync();

        var received = Assert.Single(_receiver.Received);
        Assert.Equal(2, received.Signature.Split(' ').Length);
        // The new secret signs first. (StandardWebhooks 1.1.2 compares only the first signature of a list, so each is
        // verified on its own with it, and the whole header with our own reading of the convention.)
        var signatures = received.Signature.Split(' ');
        Verify(newSecret!, received);
        Verify(newSecret!, received with { Signature = signatures[0] });
        Verify(oldSecret, received with { Signature = signatures[1] });
        Assert.Throws<StandardWebhooks.Diagnostics.WebhookVerificationException>(() => Verify(WebhookSignature.NewSecret(), received with { Signature = signatures[1] }));
        var timestamp = long.Parse(received.Timestamp, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(received.Signature, WebhookSignature.Sign([newSecret!, oldSecret], received.Id, timestamp, received.Body));

        // A day later the old secret is gone from the header.
        _database.Clock.Advance(TimeSpan.FromHours(25));
        await CreateLeadAsync("A day later");
        await DeliverAsync();
        var later = _receiver.Received.Last();
        Assert.Equal(WebhookSignature.Sign(newSecret!, later.Id, long.Parse(later.Timestamp, System.Globalization.CultureInfo.InvariantCulture), later.Body), later.Signature);
    }

    [Fact]
    public async Task A_slow_receiver_holds_no_write_lock_while_it_answers()
    {
        await RegisterAsync(LeadCreated.TypeName);
        var answered = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _receiver.Answer = (_, _) =>
        {
            arrived.TrySetResult();
            return answered.Task;
        };
        await CreateLeadAsync();
        var delivering = _database.Get<WebhookDelivery>().RunAsync();
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // While the receiver keeps the request open, writes go on.
        var lead = await CreateLeadAsync("Created meanwhile").WaitAsync(TimeSpan.FromSeconds(30));
        await SendAsync("form.submit", lead).WaitAsync(TimeSpan.FromSeconds(30));

        answered.SetResult(204);
        await delivering.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(WebhookMessageStatus.Delivered, (await MessagesAsync())[0].Status);
    }

    [Fact]
    public async Task Resend_and_test_events_go_out_with_their_ids()
    {
        var (endpoint, secret) = await RegisterAsync(LeadCreated.TypeName);
        Assert.True(await Endpoints.SendTestAsync(endpoint.Id, "admin@example.com"));
        await DeliverAsync();
        var test = Assert.Single(_receiver.Received);
        Verify(secret, test);
        Assert.Contains(WebhookTest.TypeName, test.Body, StringComparison.Ordinal);

        var message = Assert.Single(await MessagesAsync());
        Assert.True(await Endpoints.ResendAsync(endpoint.Id, message.Id));
        await DeliverAsync();
        Assert.Equal([test.Id, test.Id], _receiver.Received.Select(r => r.Id));
        Assert.False(await Endpoints.ResendAsync(endpoint.Id + 1, message.Id));
    }

    [Fact]
    public async Task Delivered_messages_leave_the_log_after_thirty_days_and_waiting_ones_stay()
    {
        var (endpoint, _) = await RegisterAsync(LeadCreated.TypeName);
        await CreateLeadAsync("Delivered");
        await DeliverAsync();
        _receiver.Answer = (_, _) => Task.FromResult(503);
        await CreateLeadAsync("Waiting");
        await _database.Get<WebhookDelivery>().RunAsync();
        Assert.Equal(2, (await Endpoints.DeliveriesAsync(endpoint.Id))!.Count);

        _database.Clock.Advance(WebhookDelivery.KeptFor + TimeSpan.FromDays(1));
        await _database.Get<WebhookDelivery>().RunAsync();

        var left = Assert.Single(await MessagesAsync());
        Assert.Equal(WebhookMessageStatus.Pending, left.Status);
        Assert.All((await Endpoints.DeliveriesAsync(endpoint.Id))!, d => Assert.Equal(left.Id, d.MessageRowId));
    }

    [Theory]
    [InlineData("http://127.0.0.1/hook")]
    [InlineData("http://localhost:8080/hook")]
    [InlineData("http://10.1.2.3/hook")]
    [InlineData("http://172.20.0.5/hook")]
    [InlineData("http://192.168.1.10/hook")]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    [InlineData("http://[::1]/hook")]
    [InlineData("http://[fd00::1]/hook")]
    [InlineData("http://0.0.0.0/hook")]
    public async Task Private_addresses_are_refused_unless_allowed(string url)
    {
        await using var strict = await CoreDatabase.CreateAsync();
        var error = await Assert.ThrowsAsync<ValidationFailedException>(() => strict.Get<WebhookEndpoints>().CreateAsync(new WebhookEndpointInput(url, [LeadCreated.TypeName]), "tests"));
        var field = Assert.Single(error.Errors);
        Assert.Equal("url", field.Field);
        Assert.Contains("public addresses only", field.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_public_address_is_accepted_and_bad_input_is_named_field_by_field()
    {
        await using var strict = await CoreDatabase.CreateAsync();
        var endpoints = strict.Get<WebhookEndpoints>();
        var created = await endpoints.CreateAsync(new WebhookEndpointInput("https://93.184.216.34/hooks", [LeadAssigned.TypeName]), "tests");
        Assert.Equal([LeadAssigned.TypeName], created.Endpoint.Events);

        var error = await Assert.ThrowsAsync<ValidationFailedException>(() => endpoints.CreateAsync(new WebhookEndpointInput("ftp://example.com/x", ["lead.exploded"]), "tests"));
        Assert.Equal(["events", "url"], error.Errors.Select(e => e.Field).Order());
        Assert.Contains(error.Errors, e => e.Message.Contains("'lead.exploded' is not an event type", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_connection_step_refuses_a_private_address_at_send_time_too()
    {
        using var handler = new System.Net.Http.SocketsHttpHandler { ConnectCallback = WebhookNetwork.Connect(() => false) };
        using var client = new HttpClient(handler);
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.PostAsync(_receiver.Url, new StringContent("{}")));
        Assert.Contains("private address", error.InnerException?.Message ?? error.Message, StringComparison.Ordinal);
        Assert.Empty(_receiver.Received);
    }

    [Fact]
    public void The_retry_schedule_is_the_one_the_spec_names()
    {
        Assert.Equal(
            [TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2), TimeSpan.FromHours(5), TimeSpan.FromHours(10), TimeSpan.FromHours(14), TimeSpan.FromHours(20), TimeSpan.FromHours(24)],
            new WebhookOptions().RetrySchedule);
        Assert.Equal(TimeSpan.FromSeconds(15), new WebhookOptions().Timeout);
    }

    [Theory]
    [InlineData(200, "Delivered")]
    [InlineData(204, "Delivered")]
    [InlineData(400, "FailForGood")]
    [InlineData(404, "FailForGood")]
    [InlineData(408, "Retry")]
    [InlineData(410, "Gone")]
    [InlineData(429, "Retry")]
    [InlineData(500, "Retry")]
    [InlineData(302, "Retry")]
    [InlineData(null, "Retry")]
    public void Each_answer_has_its_verdict(int? status, string verdict) =>
        Assert.Equal(verdict, WebhookDelivery.VerdictOf(status).ToString());
}
