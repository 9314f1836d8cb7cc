using System.Text.Json;
using BehaviorPoints.Core.Behaviors;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Engine;
using BehaviorPoints.Core.Persistence;
using BehaviorPoints.Core.Scoring;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.Tracking;

/// <summary>What the collector knows of a request besides its body.</summary>
public sealed record CollectContext(string? Origin, string? UserAgent, bool DoNotTrack);

/// <summary>How the collector answered.</summary>
public enum CollectStatus
{
    /// <summary>202: the accepted events are stored (scored, or waiting for their visitor to be identified).</summary>
    Accepted,

    /// <summary>403: an unknown or rotated key, or an origin the key's site does not allow; nothing stored.</summary>
    Refused,

    /// <summary>400: the body is not a collector body; nothing stored.</summary>
    Invalid,
}

/// <summary>One event the collector did not take, and why.</summary>
public sealed record CollectRejection(string? Id, string Error);

/// <summary>The collector's answer: how many events it took, the ones it did not, or the problem with the whole body.</summary>
public sealed record CollectAnswer(CollectStatus Status, int Accepted, IReadOnlyList<CollectRejection> Rejected, string? Problem = null)
{
    public static CollectAnswer Refuse(string problem) => new(CollectStatus.Refused, 0, [], problem);

    public static CollectAnswer Invalid(string problem) => new(CollectStatus.Invalid, 0, [], problem);
}

/// <summary>
/// The public collector behind <c>POST /collect</c> (SPEC §16): checks the publishable key and the origin, honours Do
/// Not Track and Global Privacy Control under implied consent, reads up to <see cref="MaxEvents"/> events, holds a
/// suspected bot's behaviors, identifies the visitor, and stores the events through the ledger (group-committed with
/// other requests): an identified visitor's are scored at once; an anonymous visitor's wait unscored under
/// <c>visitor:&lt;id&gt;</c> until it is identified. The answer waits for its own events to be stored, never for an
/// identified visitor's earlier behaviors to be scored (<see cref="VisitorLinking"/> does that next).
/// </summary>
public sealed class Collector(
    IDbContextFactory<BehaviorPointsDbContext> dbFactory,
    UnitOfWork unitOfWork,
    SiteKeys keys,
    BehaviorTypes behaviorTypes,
    Ledger ledger,
    BotDetectors bots,
    VisitorActivity activity,
    VisitorCache visitors,
    VisitorIdentity identity,
    VisitorLinking linking,
    TimeProvider clock)
{
    public const int MaxEvents = 50;
    public const int MaxBodyBytes = 64 * 1024;
    public const int MaxIdLength = 100;

    /// <summary>The behavior of an event that only says who the visitor is (<c>bp('identify', …)</c>): nothing is stored for it.</summary>
    public const string IdentifyOnly = "identify";

    public async Task<CollectAnswer> CollectAsync(JsonElement body, CollectContext context, CancellationToken cancellationToken = default)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return CollectAnswer.Invalid("The body must be a JSON object with key, visitorId and events.");
        }
        var key = body.TryGetProperty("key", out var keyJson) && keyJson.ValueKind == JsonValueKind.String ? keyJson.GetString()! : null;
        if (string.IsNullOrEmpty(key) || key.Length > 64)
        {
            return CollectAnswer.Refuse("The body names no publishable key (key: \"pk_…\").");
        }
        var site = await keys.FindAsync(key, cancellationToken);
        if (site is null)
        {
            return CollectAnswer.Refuse("This publishable key is unknown or was rotated; copy the site's snippet again.");
        }
        if (string.IsNullOrEmpty(context.Origin))
        {
            return CollectAnswer.Refuse("The collector takes events from web pages only: the request names no origin.");
        }
        if (!SiteOrigins.Allows(site.Origins, context.Origin))
        {
            return CollectAnswer.Refuse($"The origin {Shorten(context.Origin)} is not one of the site's allowed origins.");
        }
        if (site.Consent == ConsentMode.Implied && context.DoNotTrack)
        {
            return new CollectAnswer(CollectStatus.Accepted, 0, []); // The browser asked not to be tracked: nothing is stored.
        }
        if (site.Consent == ConsentMode.Required && !(body.TryGetProperty("consent", out var consentJson) && consentJson.ValueKind == JsonValueKind.True))
        {
            return new CollectAnswer(CollectStatus.Accepted, 0, []); // The site asks for consent and the page did not say it was given.
        }

        var visitorKey = body.TryGetProperty("visitorId", out var visitorJson) && visitorJson.ValueKind == JsonValueKind.String ? visitorJson.GetString()! : "";
        if (!IsVisitorId(visitorKey))
        {
            return CollectAnswer.Invalid("visitorId must be 16 to 64 letters, digits, '-' or '_' (the tracker's bp_vid cookie).");
        }
        if (!body.TryGetProperty("events", out var eventsJson) || eventsJson.ValueKind != JsonValueKind.Array)
        {
            return CollectAnswer.Invalid("events must be an array of events.");
        }
        if (eventsJson.GetArrayLength() > MaxEvents)
        {
            return CollectAnswer.Invalid($"A request carries at most {MaxEvents} events; this one has {eventsJson.GetArrayLength()}.");
        }
        var webdriver = body.TryGetProperty("webdriver", out var webdriverJson) && webdriverJson.ValueKind == JsonValueKind.True;

        var now = clock.GetUtcNow().UtcDateTime;
        var catalog = await behaviorTypes.CatalogAsync(cancellationToken);
        var rejected = new List<CollectRejection>();
        var events = new List<CollectedEvent>();
        foreach (var json in eventsJson.EnumerateArray())
        {
            if (Read(json, visitorKey, now, catalog, out var error) is { } read)
            {
                events.Add(read);
            }
            else
            {
                rejected.Add(error!);
            }
        }
        if (events.Count == 0)
        {
            return new CollectAnswer(CollectStatus.Accepted, 0, rejected);
        }

        var visitor = await SeenAsync(site, visitorKey, events, context.UserAgent, webdriver, now, cancellationToken);

        // The last identify the site's policy trusts: a signed one always; under policy form, any that carries an email.
        var identifying = events.LastOrDefault(e => e.Identify is { } who
            && (site.IdentifySecret is { } secret && IdentifySignature.Verifies(secret, who.Email, who.Signature)
                || (site.Identify == IdentifyPolicy.Form && who.Signature is null)));
        if (identifying?.Identify is { } person)
        {
            await identity.IdentifyAsync(site, visitor.Id, person.Email, person.Name, cancellationToken);
            visitor = await CurrentAsync(visitor.Id, cancellationToken);
        }

        var incoming = events.Where(e => e.Type != IdentifyOnly).Select(e => e.ToIncoming(site, visitor)).ToList();
        var results = await ledger.IngestAsync(incoming, cancellationToken);
        if (results.Any(r => r.Status == IngestStatus.Unlinked) && visitor.LeadId is not null)
        {
            linking.Request();
        }
        return new CollectAnswer(CollectStatus.Accepted, events.Count, rejected);
    }

    public static bool IsVisitorId(string id) =>
        id.Length is >= 16 and <= 64 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    // Finds the visitor (created on its first event), notes the visit, and holds it when it now looks like a bot;
    // answers where it stands. Only a new visitor or a newly held one is a write of its own: the visit is noted in
    // memory and written a few seconds later with others (VisitorActivity).
    private async Task<Visitor> SeenAsync(SiteSettings site, string visitorKey, List<CollectedEvent> events, string? userAgent, bool webdriver, DateTime now, CancellationToken cancellationToken)
    {
        var visitor = await VisitorAsync(site.Id, visitorKey, now, cancellationToken);

        if (visitor.HeldReason is null && !visitor.Released
            && bots.Detect(visitor.Id, userAgent, webdriver,
                events.Where(e => e.Type == "website.visit").Select(e => e.OccurredAt),
                events.Where(e => e.Type == "form.submit" && e.SinceLoadMs is not null).Select(e => e.SinceLoadMs!.Value)) is { } reason)
        {
            await unitOfWork.WriteAsync(async scope =>
            {
                var db = scope.Db;
                await db.Visitors.Where(v => v.Id == visitor.Id).ExecuteUpdateAsync(v => v.SetProperty(x => x.HeldReason, reason), cancellationToken);
                // What it sent before and is still waiting is held too: it never was a person's.
                await db.Behaviors.Where(b => b.VisitorId == visitor.Id && b.LeadId == null && b.Outcome == BehaviorOutcome.Unlinked)
                    .ExecuteUpdateAsync(b => b.SetProperty(x => x.Outcome, BehaviorOutcome.Held), cancellationToken);
            }, cancellationToken);
            visitor.HeldReason = reason; // a kept copy says so too, for this instance's next requests
            visitors.Forget(visitor.Id);
        }
        return visitor;
    }

    /// <summary>The site's visitor with <paramref name="visitorKey"/> (created on its first event), its visit noted.</summary>
    internal async Task<Visitor> VisitorAsync(int siteId, string visitorKey, DateTime now, CancellationToken cancellationToken)
    {
        var visitor = visitors.Find(siteId, visitorKey) ?? await FindAsync(siteId, visitorKey, cancellationToken);
        if (visitor is null)
        {
            try
            {
                visitor = await unitOfWork.WriteAsync(async scope =>
                {
                    var created = new Visitor { SiteId = siteId, Key = visitorKey, FirstSeen = now, LastSeen = now };
                    scope.Db.Visitors.Add(created);
                    await scope.Db.SaveChangesAsync(cancellationToken);
                    return created;
                }, cancellationToken);
            }
            catch (DbUpdateException)
            {
                // Its first two requests came at once to two app instances: the other one created it.
                visitor = await FindAsync(siteId, visitorKey, cancellationToken) ?? throw new InvalidOperationException("A visitor that could not be created is not there either.");
            }
        }
        activity.Seen(visitor.Id, now);
        visitors.Keep(visitor);
        return visitor;
    }

    private async Task<Visitor?> FindAsync(int siteId, string visitorKey, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Visitors.AsNoTracking().FirstOrDefaultAsync(v => v.SiteId == siteId && v.Key == visitorKey, cancellationToken);
    }

    private async Task<Visitor> CurrentAsync(long visitorId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Visitors.AsNoTracking().FirstAsync(v => v.Id == visitorId, cancellationToken);
    }

    private sealed record Person(string Email, string? Name, string? Signature);

    private sealed record CollectedEvent(
        string Id, string Type, DateTime OccurredAt, IReadOnlyDictionary<string, AttributeValue> Attributes, string AttributesJson,
        Person? Identify, long? SinceLoadMs)
    {
        public IncomingBehavior ToIncoming(SiteSettings site, Visitor visitor) =>
            // Namespaced by site: two sites' trackers can never send the same event id.
            Incoming($"site{site.Id}:{Id}", Type, OccurredAt, Attributes, AttributesJson, visitor, null);
    }

    /// <summary>
    /// A visitor's behavior for the ledger: held when the visitor is; to its lead once the visitor is identified and its
    /// earlier behaviors are scored (so a lead's behaviors are scored in time order); else waiting under the visitor,
    /// with the email or external id that will find its lead when one appears (§4).
    /// </summary>
    internal static IncomingBehavior Incoming(
        string eventId, string type, DateTime occurredAt, IReadOnlyDictionary<string, AttributeValue> attributes, string attributesJson, Visitor visitor, ContactIdentity? contact)
    {
        if (visitor.HeldReason is not null)
        {
            return new IncomingBehavior(eventId, type, occurredAt, null, new ContactIdentity(null, null, null), attributes, attributesJson, visitor.Id, Held: true);
        }
        var leadId = visitor.LinkPending ? null : visitor.LeadId;
        var waitingWith = leadId is not null ? new ContactIdentity(null, null, null)
            : new ContactIdentity(contact?.Email ?? visitor.Email, contact?.Phone, contact?.ExternalId);
        return new IncomingBehavior(eventId, type, occurredAt, leadId, waitingWith, attributes, attributesJson, visitor.Id);
    }

    private static CollectedEvent? Read(JsonElement json, string visitorKey, DateTime now, BehaviorCatalog catalog, out CollectRejection? rejection)
    {
        rejection = null;
        if (json.ValueKind != JsonValueKind.Object)
        {
            rejection = new(null, "An event must be a JSON object.");
            return null;
        }
        var id = json.TryGetProperty("id", out var idJson) && idJson.ValueKind == JsonValueKind.String ? idJson.GetString()! : "";
        if (id.Length is 0 or > MaxIdLength || !id.StartsWith(visitorKey + "-", StringComparison.Ordinal) || UserText.HasControlCharacters(id))
        {
            rejection = new(id.Length is 0 or > MaxIdLength ? null : id, $"id must be the visitor id, '-' and a part that never repeats, at most {MaxIdLength} characters.");
            return null;
        }
        var type = json.TryGetProperty("behavior", out var typeJson) && typeJson.ValueKind == JsonValueKind.String ? typeJson.GetString()! : "";
        if (!catalog.Contains(type) && type != IdentifyOnly)
        {
            rejection = new(id, $"behavior '{Shorten(type)}' is not a known behavior type.");
            return null;
        }
        if (EventReader.ReadTime(json, "at", now, out var at) is { } timeError)
        {
            rejection = new(id, timeError);
            return null;
        }
        if (EventReader.ReadAttributes(json, out var attributes, out var attributesJson) is { } attributesError)
        {
            rejection = new(id, attributesError);
            return null;
        }
        Person? person = null;
        if (json.TryGetProperty("identify", out var identifyJson) && identifyJson.ValueKind == JsonValueKind.Object)
        {
            var email = Text(identifyJson, "email", EventReader.MaxContactLength);
            if (email is null || !email.Contains('@') || UserText.HasControlCharacters(email))
            {
                rejection = new(id, "identify.email must be an email address.");
                return null;
            }
            person = new Person(email.Trim().ToLowerInvariant(), Text(identifyJson, "name", 200), Text(identifyJson, "signature", 200));
        }
        if (type == IdentifyOnly && person is null)
        {
            rejection = new(id, "An identify event carries identify.email.");
            return null;
        }
        long? sinceLoad = json.TryGetProperty("sinceLoad", out var sinceJson) && sinceJson.ValueKind == JsonValueKind.Number && sinceJson.TryGetInt64(out var ms) ? ms : null;
        return new CollectedEvent(id, type, at, attributes, attributesJson, person, sinceLoad);
    }

    private static string? Text(JsonElement json, string property, int maxLength) =>
        json.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? (text.Length > maxLength ? text[..maxLength] : text)
            : null;

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "…";
}
