using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BehaviorPoints.Core.Webhooks;

/// <summary>What an endpoint's form sends: the URL, the event types, a description for people.</summary>
public sealed record WebhookEndpointInput(string? Url, IReadOnlyList<string>? Events, string? Description = null);

/// <summary>An endpoint as its page shows it (never its secret), with its health.</summary>
public sealed record WebhookEndpointView(
    int Id, string Url, IReadOnlyList<string> Events, string? Description, bool Enabled, string? DisabledReason,
    DateTime CreatedAt, DateTime? FailingSince, DateTime? LastSuccessAt, DateTime? PreviousSecretUntil, int Waiting, int FailedForGood)
{
    /// <summary>Why the app disabled it, to be said in the reader's language (the API gives <see cref="DisabledReason"/>).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public Said? DisabledReasonSaid { get; init; }

    /// <summary>Failing without a success for a day or more: the admin pages warn.</summary>
    public bool Troubled(DateTime now) => Enabled && FailingSince is { } since && now - since >= TimeSpan.FromDays(1);
}

/// <summary>A new endpoint, or one whose secret was just rotated: the only time its secret is shown.</summary>
public sealed record WebhookEndpointWithSecret(WebhookEndpointView Endpoint, string Secret);

/// <summary>One row of an endpoint's delivery log: an attempt and the message it tried.</summary>
public sealed record WebhookDeliveryView(
    long AttemptId, long MessageRowId, string MessageId, string EventType, long? LeadId, DateTime At, int? StatusCode, int LatencyMs,
    string? Response, bool Succeeded, WebhookMessageStatus MessageStatus, int Attempts, DateTime? NextAttemptAt);

/// <summary>
/// The administration of webhook endpoints (SPEC §11): register (the secret shown once), change, enable and disable,
/// rotate the secret (the old one keeps signing beside the new one for a day), delete; the delivery log, a test event,
/// resending a message.
/// </summary>
public sealed class WebhookEndpoints(
    IDbContextFactory<BehaviorPointsDbContext> dbFactory,
    UnitOfWork unitOfWork,
    WebhookSecrets secrets,
    WebhookOutbox outbox,
    WebhookDelivery delivery,
    IOptions<WebhookOptions> options,
    TimeProvider clock)
{
    public const int MaxEndpoints = 50;

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    public async Task<IReadOnlyList<WebhookEndpointView>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await ViewsAsync(db, db.WebhookEndpoints.OrderBy(e => e.Id), cancellationToken);
    }

    public async Task<WebhookEndpointView?> FindAsync(int id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return (await ViewsAsync(db, db.WebhookEndpoints.Where(e => e.Id == id), cancellationToken)).FirstOrDefault();
    }

    /// <summary>The enabled endpoints failing without a success for a day or more, for the admin pages' warning.</summary>
    public async Task<IReadOnlyList<WebhookEndpointView>> TroubledAsync(CancellationToken cancellationToken = default)
    {
        var since = Now.AddDays(-1);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await ViewsAsync(db, db.WebhookEndpoints.Where(e => e.Enabled && e.FailingSince != null && e.FailingSince <= since).OrderBy(e => e.Id), cancellationToken);
    }

    /// <summary>Registers an endpoint; throws <see cref="ValidationFailedException"/> naming each problem.</summary>
    public async Task<WebhookEndpointWithSecret> CreateAsync(WebhookEndpointInput input, string? createdBy, CancellationToken cancellationToken = default)
    {
        var (url, events, description) = await CheckAsync(input, cancellationToken);
        var secret = WebhookSignature.NewSecret();
        // Outside the write: the first use of the key ring writes its key, on a connection of its own.
        var protectedSecret = secrets.Protect(secret);
        var id = await unitOfWork.WriteAsync(async scope =>
        {
            if (await scope.Db.WebhookEndpoints.CountAsync(cancellationToken) >= MaxEndpoints)
            {
                throw new ConflictException($"There are {MaxEndpoints} endpoints already, the most there may be. Delete one you no longer use first.");
            }
            var endpoint = new WebhookEndpoint
            {
                Url = url,
                Events = events,
                Description = description,
                Enabled = true,
                ProtectedSecret = protectedSecret,
                CreatedAt = Now,
                CreatedBy = createdBy,
            };
            scope.Db.WebhookEndpoints.Add(endpoint);
            await scope.Db.SaveChangesAsync(cancellationToken);
            return endpoint.Id;
        }, cancellationToken);
        return new WebhookEndpointWithSecret((await FindAsync(id, cancellationToken))!, secret);
    }

    /// <summary>Changes an endpoint's URL, events and description; null when there is no such endpoint.</summary>
    public async Task<WebhookEndpointView?> UpdateAsync(int id, WebhookEndpointInput input, CancellationToken cancellationToken = default)
    {
        var (url, events, description) = await CheckAsync(input, cancellationToken);
        var found = await ChangeAsync(id, endpoint =>
        {
            endpoint.Url = url;
            endpoint.Events = events;
            endpoint.Description = description;
        }, cancellationToken);
        return found ? await FindAsync(id, cancellationToken) : null;
    }

    /// <summary>
    /// Enables or disables an endpoint. Enabling clears its failure streak and sends what waited meanwhile; events that
    /// happen while it is disabled are not kept for it.
    /// </summary>
    public async Task<bool> SetEnabledAsync(int id, bool enabled, CancellationToken cancellationToken = default)
    {
        var found = await ChangeAsync(id, endpoint =>
        {
            endpoint.Enabled = enabled;
            endpoint.DisabledReason = null;
            endpoint.DisabledReasonSaid = null;
            if (enabled)
            {
                endpoint.FailingSince = null;
            }
        }, cancellationToken);
        if (found && enabled)
        {
            delivery.Request();
        }
        return found;
    }

    /// <summary>A new secret, shown once; the old one keeps signing beside it for <see cref="WebhookOptions.RotationOverlap"/>.</summary>
    public async Task<string?> RotateSecretAsync(int id, CancellationToken cancellationToken = default)
    {
        var secret = WebhookSignature.NewSecret();
        var protectedSecret = secrets.Protect(secret);
        var found = await ChangeAsync(id, endpoint =>
        {
            endpoint.ProtectedPreviousSecret = endpoint.ProtectedSecret;
            endpoint.PreviousSecretUntil = Now + options.Value.RotationOverlap;
            endpoint.ProtectedSecret = protectedSecret;
        }, cancellationToken);
        return found ? secret : null;
    }

    /// <summary>Deletes an endpoint with its messages and log; false when there was none.</summary>
    public Task<bool> DeleteAsync(int id, CancellationToken cancellationToken = default) =>
        unitOfWork.WriteAsync(async scope =>
        {
            var endpoint = await scope.Db.WebhookEndpoints.FirstOrDefaultAsync(e => e.Id == id, cancellationToken);
            if (endpoint is null)
            {
                return false;
            }
            await scope.Db.WebhookAttempts.Where(a => a.EndpointId == id).ExecuteDeleteAsync(cancellationToken);
            await scope.Db.WebhookMessages.Where(m => m.EndpointId == id).ExecuteDeleteAsync(cancellationToken);
            scope.Db.WebhookEndpoints.Remove(endpoint);
            return true;
        }, cancellationToken);

    /// <summary>Sends a <c>webhook.test</c> event to one endpoint (enabled or not: a disabled one gets it once enabled).</summary>
    public Task<bool> SendTestAsync(int id, string requestedBy, CancellationToken cancellationToken = default) =>
        unitOfWork.WriteAsync(async scope =>
        {
            if (!await scope.Db.WebhookEndpoints.AnyAsync(e => e.Id == id, cancellationToken))
            {
                return false;
            }
            outbox.AddTest(scope, id, requestedBy, Now);
            return true;
        }, cancellationToken);

    /// <summary>
    /// Sends a message again now, with the same <c>webhook-id</c> (delivered, failed or waiting), the retry schedule
    /// starting over; false when the endpoint has no such message.
    /// </summary>
    public async Task<bool> ResendAsync(int endpointId, long messageRowId, CancellationToken cancellationToken = default)
    {
        var found = await unitOfWork.WriteAsync(async scope =>
            await scope.Db.WebhookMessages.Where(m => m.Id == messageRowId && m.EndpointId == endpointId)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, WebhookMessageStatus.Pending).SetProperty(m => m.NextAttemptAt, Now).SetProperty(m => m.Attempts, 0), cancellationToken) > 0,
            cancellationToken);
        if (found)
        {
            delivery.Request();
        }
        return found;
    }

    /// <summary>The endpoint's delivery log, newest first: up to <paramref name="count"/> attempts before <paramref name="beforeAttemptId"/>.</summary>
    public async Task<IReadOnlyList<WebhookDeliveryView>?> DeliveriesAsync(int endpointId, int count = 100, long? beforeAttemptId = null, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.WebhookEndpoints.AnyAsync(e => e.Id == endpointId, cancellationToken))
        {
            return null;
        }
        var attempts = db.WebhookAttempts.AsNoTracking().Where(a => a.EndpointId == endpointId);
        if (beforeAttemptId is { } before)
        {
            attempts = attempts.Where(a => a.Id < before);
        }
        return await attempts.OrderByDescending(a => a.Id).Take(Math.Clamp(count, 1, 500))
            .Select(a => new WebhookDeliveryView(
                a.Id, a.MessageId, a.Message!.MessageId, a.Message.EventType, a.Message.LeadId, a.At, a.StatusCode, a.LatencyMs, a.Response, a.Succeeded,
                a.Message.Status, a.Message.Attempts, a.Message.Status == WebhookMessageStatus.Pending ? a.Message.NextAttemptAt : null))
            .ToListAsync(cancellationToken);
    }

    private async Task<bool> ChangeAsync(int id, Action<WebhookEndpoint> change, CancellationToken cancellationToken) =>
        await unitOfWork.WriteAsync(async scope =>
        {
            var endpoint = await scope.Db.WebhookEndpoints.FirstOrDefaultAsync(e => e.Id == id, cancellationToken);
            if (endpoint is null)
            {
                return false;
            }
            change(endpoint);
            return true;
        }, cancellationToken);

    private async Task<(string Url, string Events, string? Description)> CheckAsync(WebhookEndpointInput input, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        if (await WebhookNetwork.ProblemWithAsync(input.Url, options.Value.AllowPrivateNetworks, cancellationToken) is { } problem)
        {
            errors.Add(new("url", problem));
        }
        var events = (input.Events ?? []).Select(e => e?.Trim() ?? "").ToList();
        if (events.Count == 0)
        {
            errors.Add(FieldError.Of("events", "Choose at least one event type: {0}.", string.Join(", ", WebhookEventTypes.All)));
        }
        foreach (var unknown in events.Where(e => !WebhookEventTypes.All.Contains(e)).Distinct())
        {
            errors.Add(FieldError.Of("events", "'{0}' is not an event type; the types are {1}.", (unknown.Length <= 60 ? unknown : unknown[..57] + "..."), string.Join(", ", WebhookEventTypes.All)));
        }
        var description = string.IsNullOrWhiteSpace(input.Description) ? null : input.Description.Trim();
        if (description is { Length: > 200 } || (description is not null && UserText.HasControlCharacters(description)))
        {
            errors.Add(FieldError.Of("description", "A description is at most 200 characters of plain text."));
        }
        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }
        return (input.Url!.Trim(), WebhookEventList.Format(events), description);
    }

    private static async Task<List<WebhookEndpointView>> ViewsAsync(BehaviorPointsDbContext db, IQueryable<WebhookEndpoint> endpoints, CancellationToken cancellationToken)
    {
        var rows = await endpoints.AsNoTracking().Select(e => new
        {
            Endpoint = e,
            Waiting = db.WebhookMessages.Count(m => m.EndpointId == e.Id && m.Status == WebhookMessageStatus.Pending),
            Failed = db.WebhookMessages.Count(m => m.EndpointId == e.Id && m.Status == WebhookMessageStatus.Failed),
        }).ToListAsync(cancellationToken);
        return [.. rows.Select(r => new WebhookEndpointView(
            r.Endpoint.Id, r.Endpoint.Url, r.Endpoint.Events.Split(' ', StringSplitOptions.RemoveEmptyEntries), r.Endpoint.Description, r.Endpoint.Enabled, r.Endpoint.DisabledReason,
            r.Endpoint.CreatedAt, r.Endpoint.FailingSince, r.Endpoint.LastSuccessAt, r.Endpoint.PreviousSecretUntil, r.Waiting, r.Failed)
        {
            DisabledReasonSaid = Said.FromJson(r.Endpoint.DisabledReasonSaid),
        })];
    }
}
