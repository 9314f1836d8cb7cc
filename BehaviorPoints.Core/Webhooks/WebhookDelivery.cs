using System.Diagnostics;
using System.Globalization;
using System.Text;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BehaviorPoints.Core.Webhooks;

/// <summary>
/// Delivers the outbox (SPEC §11): each enabled endpoint's due messages, oldest first, a lead's messages one after
/// another (a later one waits while an earlier one waits for its retry), up to
/// <see cref="WebhookOptions.ConcurrencyPerEndpoint"/> requests at once per endpoint. Requests go out with no write gate
/// held; each round's outcomes are written in one short transaction: the message delivered, failed for good or due again
/// on the retry schedule, the attempt in the delivery log, the endpoint's health. An endpoint that answers slowly slows
/// only its own round. With several app instances one holds the job's lease; a message sent by a holder that died before
/// writing its outcome is sent again (at least once: receivers de-duplicate on the <c>webhook-id</c>).
/// </summary>
public sealed class WebhookDelivery(
    IDbContextFactory<BehaviorPointsDbContext> dbFactory,
    UnitOfWork unitOfWork,
    JobLeases leases,
    IHttpClientFactory httpClients,
    IWebhookStore store,
    WebhookSecrets secrets,
    IOptions<WebhookOptions> options,
    TimeProvider clock) : BackgroundJob
{
    public const string JobCode = "webhooks";
    public const string HttpClientName = "webhooks";

    /// <summary>Messages one endpoint's round takes at most.</summary>
    public const int RoundSize = 500;

    /// <summary>How much of an answer's body is read (SPEC §11's 4 KiB), and how much of it the log keeps.</summary>
    public const int MaxResponseBytes = 4096;
    public const int MaxLoggedResponse = 1000;

    private static readonly TimeSpan MaxYield = TimeSpan.FromMilliseconds(100);

    public override string Name => "Webhook deliveries";

    public override TimeSpan PollInterval => TimeSpan.FromSeconds(1);

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>Delivered and failed messages, with their attempts, are kept this long for the log.</summary>
    public static readonly TimeSpan KeptFor = TimeSpan.FromDays(30);

    private DateTime _prunedAt;

    public override async Task<int> RunAsync(CancellationToken cancellationToken = default)
    {
        var now = Now;
        if (now - _prunedAt >= TimeSpan.FromHours(1))
        {
            await PruneAsync(now - KeptFor, cancellationToken);
            _prunedAt = now;
        }
        List<int> endpoints;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            endpoints = await db.WebhookEndpoints.AsNoTracking()
                .Where(e => e.Enabled && db.WebhookMessages.Any(m => m.EndpointId == e.Id && m.Status == WebhookMessageStatus.Pending && m.NextAttemptAt <= now))
                .Select(e => e.Id).ToListAsync(cancellationToken);
        }
        if (endpoints.Count == 0 || !await unitOfWork.WriteInBackgroundAsync(scope => leases.HoldAsync(scope.Db, JobCode, Now, cancellationToken), MaxYield, cancellationToken))
        {
            return 0;
        }
        var delivered = await Task.WhenAll(endpoints.Select(id => DeliverToAsync(id, cancellationToken)));
        return delivered.Sum();
    }

    // Drops what the log no longer shows, a thousand messages per transaction so ingest never waits long.
    private async Task PruneAsync(DateTime before, CancellationToken cancellationToken)
    {
        while (await unitOfWork.WriteInBackgroundAsync(async scope =>
        {
            var old = await scope.Db.WebhookMessages.Where(m => m.Status != WebhookMessageStatus.Pending && m.CreatedAt < before)
                .OrderBy(m => m.Id).Select(m => m.Id).Take(1000).ToListAsync(cancellationToken);
            await scope.Db.WebhookAttempts.Where(a => old.Contains(a.MessageId)).ExecuteDeleteAsync(cancellationToken);
            return await scope.Db.WebhookMessages.Where(m => old.Contains(m.Id)).ExecuteDeleteAsync(cancellationToken);
        }, MaxYield, cancellationToken) == 1000)
        {
        }
    }

    // Rounds for one endpoint until nothing of it is due; returns how many attempts it made.
    private async Task<int> DeliverToAsync(int endpointId, CancellationToken cancellationToken)
    {
        var attempts = 0;
        while (true)
        {
            var now = Now;
            WebhookEndpoint? endpoint;
            List<WebhookMessage> due;
            await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
            {
                endpoint = await db.WebhookEndpoints.AsNoTracking().FirstOrDefaultAsync(e => e.Id == endpointId && e.Enabled, cancellationToken);
                if (endpoint is null)
                {
                    return attempts;
                }
                // Due, and not behind an earlier message of its lead that waits for a retry.
                due = await db.WebhookMessages.AsNoTracking()
                    .Where(m => m.EndpointId == endpointId && m.Status == WebhookMessageStatus.Pending && m.NextAttemptAt <= now)
                    .Where(m => m.LeadId == null || !db.WebhookMessages.Any(p => p.EndpointId == endpointId && p.LeadId == m.LeadId
                        && p.Status == WebhookMessageStatus.Pending && p.Id < m.Id && p.NextAttemptAt > now))
                    .OrderBy(m => m.Id).Take(RoundSize).ToListAsync(cancellationToken);
            }
            if (due.Count == 0)
            {
                return attempts;
            }
            var outcomes = await SendRoundAsync(endpoint, due, cancellationToken);
            attempts += outcomes.Count;
            var holding = await unitOfWork.WriteInBackgroundAsync(scope => RecordAsync(scope, endpointId, outcomes, cancellationToken), MaxYield, cancellationToken);
            if (!holding)
            {
                return attempts;
            }
        }
    }

    // Sends a round: each lead's messages in order (stopping at its first failure), the leads side by side.
    private async Task<List<Outcome>> SendRoundAsync(WebhookEndpoint endpoint, List<WebhookMessage> due, CancellationToken cancellationToken)
    {
        var signingSecrets = SigningSecrets(endpoint, Now);
        var client = httpClients.CreateClient(HttpClientName);
        var outcomes = new List<Outcome>(due.Count);
        using var slots = new SemaphoreSlim(Math.Max(1, options.Value.ConcurrencyPerEndpoint));
        var chains = due.GroupBy(m => m.LeadId ?? -m.Id).Select(async chain =>
        {
            await slots.WaitAsync(cancellationToken);
            try
            {
                foreach (var message in chain)
                {
                    var outcome = await SendAsync(client, endpoint.Url, signingSecrets, message, cancellationToken);
                    lock (outcomes)
                    {
                        outcomes.Add(outcome);
                    }
                    if (!outcome.Succeeded)
                    {
                        break;
                    }
                }
            }
            finally
            {
                slots.Release();
            }
        });
        await Task.WhenAll(chains);
        return outcomes;
    }

    /// <summary>One attempt: the signed POST, the answer's status and the start of its body, how long it took.</summary>
    private async Task<Outcome> SendAsync(HttpClient client, string url, IReadOnlyList<string> signingSecrets, WebhookMessage message, CancellationToken cancellationToken)
    {
        var at = Now;
        var timestamp = new DateTimeOffset(at).ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(message.Payload, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("webhook-id", message.MessageId);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", WebhookSignature.Sign(signingSecrets, message.MessageId, timestamp, message.Payload));
        request.Headers.UserAgent.ParseAdd("BehaviorPoints-Webhooks/1.0");

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.Value.Timeout);
        var watch = Stopwatch.StartNew();
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            var body = await ReadStartAsync(response, deadline.Token);
            return new Outcome(message.Id, at, (int)response.StatusCode, Latency(watch), body);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or Polly.Timeout.TimeoutRejectedException && !cancellationToken.IsCancellationRequested)
        {
            var why = e is HttpRequestException ? $"No answer: {e.Message}" : $"No answer within {options.Value.Timeout.TotalSeconds:0} s.";
            return new Outcome(message.Id, at, null, Latency(watch), why);
        }
    }

    private static int Latency(Stopwatch watch) => (int)Math.Min(int.MaxValue, watch.ElapsedMilliseconds);

    // Up to MaxResponseBytes of the body, as text, for the log.
    private static async Task<string?> ReadStartAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[MaxResponseBytes];
        var read = 0;
        int n;
        while (read < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken)) > 0)
        {
            read += n;
        }
        if (read == 0)
        {
            return null;
        }
        var text = UserText.WithoutControlCharacters(Encoding.UTF8.GetString(buffer, 0, read).Replace('\n', ' ').Replace('\r', ' '));
        return text.Length <= MaxLoggedResponse ? text : text[..MaxLoggedResponse];
    }

    // The secrets that sign now: the current one, and the one rotated out while its overlap lasts.
    private List<string> SigningSecrets(WebhookEndpoint endpoint, DateTime now)
    {
        var list = new List<string> { secrets.Unprotect(endpoint.ProtectedSecret) };
        if (endpoint.ProtectedPreviousSecret is { } previous && endpoint.PreviousSecretUntil > now)
        {
            list.Add(secrets.Unprotect(previous));
        }
        return list;
    }

    // A round's outcomes in one transaction; false when the lease went to another instance meanwhile. The delivered
    // messages (nearly all, usually) are marked in one statement and the log's rows written in bulk; the rest one by one.
    private async Task<bool> RecordAsync(WriteScope scope, int endpointId, List<Outcome> outcomes, CancellationToken cancellationToken)
    {
        var db = scope.Db;
        var now = Now;
        var holding = await leases.HoldAsync(db, JobCode, now, cancellationToken);
        var endpoint = await db.WebhookEndpoints.FirstOrDefaultAsync(e => e.Id == endpointId, cancellationToken);
        if (endpoint is null)
        {
            return holding;
        }
        store.On(db).WriteAttempts([.. outcomes.Select(o => new WebhookAttempt
        {
            EndpointId = endpointId,
            MessageId = o.MessageId,
            At = o.At,
            StatusCode = o.StatusCode,
            LatencyMs = o.LatencyMs,
            Response = o.Response,
            Succeeded = o.Succeeded,
        })]);

        var delivered = outcomes.Where(o => o.Succeeded).Select(o => o.MessageId).ToList();
        foreach (var chunk in delivered.Chunk(1000))
        {
            await db.WebhookMessages.Where(m => chunk.Contains(m.Id) && m.Status == WebhookMessageStatus.Pending)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, WebhookMessageStatus.Delivered).SetProperty(m => m.DeliveredAt, now).SetProperty(m => m.Attempts, m => m.Attempts + 1), cancellationToken);
        }
        if (delivered.Count > 0)
        {
            endpoint.LastSuccessAt = outcomes.Where(o => o.Succeeded).Max(o => o.At);
        }

        var failed = outcomes.Where(o => !o.Succeeded).ToList();
        var ids = failed.Select(o => o.MessageId).ToList();
        var messages = failed.Count == 0 ? [] : await db.WebhookMessages.Where(m => ids.Contains(m.Id)).ToDictionaryAsync(m => m.Id, cancellationToken);
        var schedule = options.Value.RetrySchedule;
        foreach (var outcome in failed)
        {
            if (!messages.TryGetValue(outcome.MessageId, out var message))
            {
                continue;
            }
            message.Attempts++;
            switch (VerdictOf(outcome.StatusCode))
            {
                case Verdict.FailForGood:
                    message.Status = WebhookMessageStatus.Failed;
                    break;
                case Verdict.Gone:
                    Disable(endpoint, Said.Of("Disabled when the receiver answered 410 Gone at {0} UTC. Enable it once the URL is right again: waiting messages are sent then.", Minute(outcome.At)));
                    message.NextAttemptAt = now;
                    break;
                default:
                    if (message.Attempts > schedule.Length)
                    {
                        message.Status = WebhookMessageStatus.Failed;
                    }
                    else
                    {
                        message.NextAttemptAt = now + Jittered(schedule[message.Attempts - 1]);
                    }
                    break;
            }
        }

        // Healthy again on a success after the last failure; failing since the first failure after the last success.
        var lastSuccess = outcomes.Where(o => o.Succeeded).Select(o => (DateTime?)o.At).Max();
        var firstFailureAfter = failed.Where(o => lastSuccess is null || o.At > lastSuccess).Select(o => (DateTime?)o.At).Min();
        if (lastSuccess is not null)
        {
            endpoint.FailingSince = null;
        }
        endpoint.FailingSince ??= firstFailureAfter;
        if (endpoint.Enabled && endpoint.FailingSince is { } since && now - since >= options.Value.DisableAfter)
        {
            Disable(endpoint, Said.Of("Disabled after failing without a success since {0} UTC. Enable it once the receiver works again: waiting messages are sent then.", Minute(since)));
        }
        return holding;
    }

    // The app disables an endpoint, saying why (in English, and kept to be said in the reader's language).
    private static void Disable(WebhookEndpoint endpoint, Said reason)
    {
        endpoint.Enabled = false;
        endpoint.DisabledReason = reason.ToString();
        endpoint.DisabledReasonSaid = reason.ToStoredJson();
    }

    private static string Minute(DateTime at) => at.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);

    private static TimeSpan Jittered(TimeSpan wait) => wait + TimeSpan.FromTicks((long)(wait.Ticks * 0.1 * Random.Shared.NextDouble()));

    /// <summary>What an answer means for its message (SPEC §11).</summary>
    internal static Verdict VerdictOf(int? statusCode) => statusCode switch
    {
        >= 200 and < 300 => Verdict.Delivered,
        410 => Verdict.Gone,
        408 or 429 => Verdict.Retry,
        >= 400 and < 500 => Verdict.FailForGood,
        _ => Verdict.Retry,
    };

    private sealed record Outcome(long MessageId, DateTime At, int? StatusCode, int LatencyMs, string? Response)
    {
        public bool Succeeded => StatusCode is >= 200 and < 300;
    }
}

internal enum Verdict
{
    Delivered,
    Retry,
    FailForGood,

    /// <summary>410: the endpoint is disabled; the message waits for it to be enabled again.</summary>
    Gone,
}
