using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using BehaviorPoints.Core.Behaviors;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Persistence;
using BehaviorPoints.Core.Scoring;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.Tracking;

/// <summary>One Segment message the source did not take, and why.</summary>
public sealed record SegmentRejection(int Index, string? MessageId, string Error);

/// <summary>The answer to a Segment request: how many messages were taken, and the ones that were not.</summary>
public sealed record SegmentAnswer(int Accepted, IReadOnlyList<SegmentRejection> Rejected);

/// <summary>A <c>track</c> event name that maps to no behavior yet: kept, and listed for mapping.</summary>
public sealed record UnmappedSegmentEvent(string Event, int Behaviors, DateTime LastReceived);

/// <summary>
/// The Segment-compatible source (SPEC §16): Segment, RudderStack or Jitsu forward their HTTP Tracking API messages as
/// to a destination. <c>messageId</c> is the event id, <c>anonymousId</c> a visitor (of the source's own site),
/// <c>userId</c> the contact's external id, <c>traits.email</c> or <c>context.traits.email</c> the email,
/// <c>properties</c> the attributes (text, numbers and true/false; nested values are left out). A <c>page</c> is a
/// <c>website.visit</c>; an <c>identify</c> ties its anonymousId, userId and email to one lead; a <c>track</c> event's
/// name maps to a behavior through <see cref="SegmentMapping"/>; an unmapped one is stored as
/// <c>segment:&lt;name&gt;</c>, unscored, listed for mapping, and scored once it is mapped. Nothing is dropped.
/// </summary>
public sealed class SegmentSource(
    IDbContextFactory<BehaviorPointsDbContext> dbFactory,
    UnitOfWork unitOfWork,
    BehaviorTypes behaviorTypes,
    Ledger ledger,
    Collector collector,
    VisitorIdentity identity,
    VisitorLinking linking,
    TimeProvider clock)
{
    public const int MaxMessages = 500;
    public const string UnmappedPrefix = "segment:";
    /// <summary>The longest event name: stored as <c>segment:&lt;name&gt;</c> until mapped, within a behavior type's 100 characters.</summary>
    public const int MaxEventName = 90;
    private const string SiteName = "Segment source";

    /// <summary>Takes <paramref name="messages"/>; <paramref name="type"/> is the type of them all (the per-type endpoints), else each says its own.</summary>
    public async Task<SegmentAnswer> ReceiveAsync(IReadOnlyList<JsonElement> messages, string? type = null, CancellationToken cancellationToken = default)
    {
        var site = await SiteAsync(cancellationToken);
        var catalog = await behaviorTypes.CatalogAsync(cancellationToken);
        var mappings = await MappingsAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var rejected = new List<SegmentRejection>();
        var incoming = new List<IncomingBehavior>();
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            var messageId = Text(message, "messageId", 100);
            string? error = null;
            if (message.ValueKind != JsonValueKind.Object)
            {
                error = "A message must be a JSON object.";
            }
            else if (JsonChecks.Find(message) is { } unreadable)
            {
                error = unreadable.Message;
            }
            else if (messageId is null)
            {
                error = "messageId is required: it is the event id, so a message sent again is stored once.";
            }
            else if (EventReader.ReadTime(message, "timestamp", now, out var at) is { } timeError)
            {
                error = timeError;
            }
            else
            {
                var kind = type ?? Text(message, "type", 20)?.ToLowerInvariant();
                var anonymousId = Text(message, "anonymousId", 64);
                var userId = Text(message, "userId", 128);
                var email = ContactIdentity.NormalizeEmail(Text(message.TryGetProperty("traits", out var traits) ? traits : default, "email", 320)
                    ?? (message.TryGetProperty("context", out var context) && context.ValueKind == JsonValueKind.Object && context.TryGetProperty("traits", out var contextTraits) ? Text(contextTraits, "email", 320) : null));
                if (anonymousId is not null && !Collector.IsVisitorId(anonymousId))
                {
                    error = "anonymousId must be 16 to 64 letters, digits, '-' or '_'.";
                }
                else if (anonymousId is null && userId is null && email is null)
                {
                    error = "Say who: anonymousId, userId or traits.email.";
                }
                else if (email is not null && !email.Contains('@'))
                {
                    error = "traits.email is not an email address.";
                }
                else if (kind == "identify")
                {
                    var name = Text(message.TryGetProperty("traits", out var named) ? named : default, "name", 200);
                    if (anonymousId is not null)
                    {
                        var visitor = await collector.VisitorAsync(site.Id, anonymousId, now, cancellationToken);
                        await identity.IdentifyAsync(site, visitor.Id, email, userId, name, cancellationToken);
                    }
                    else
                    {
                        // No visitor to tie: the lead is made (or found) so later events carrying either identity reach it.
                        await identity.LeadOfAsync(site, email, userId, name, cancellationToken);
                    }
                }
                else if (kind is "track" or "page" or "screen")
                {
                    var eventName = kind == "track" ? Text(message, "event", MaxEventName) : null;
                    if (kind == "track" && eventName is null)
                    {
                        error = "A track message names its event.";
                    }
                    else
                    {
                        var behavior = kind != "track" ? "website.visit"
                            : mappings.TryGetValue(eventName!, out var mapped) && catalog.Contains(mapped) ? mapped
                            : UnmappedPrefix + eventName;
                        var unmapped = behavior.StartsWith(UnmappedPrefix, StringComparison.Ordinal);
                        var attributes = AttributesOf(message, kind);
                        if (EventReader.ReadAttributes(attributes, out var bag, out var bagJson) is { } attributeError)
                        {
                            error = attributeError;
                        }
                        else
                        {
                            var contact = new ContactIdentity(email, null, userId);
                            var eventId = "segment:" + messageId;
                            var visitor = anonymousId is null ? null : await collector.VisitorAsync(site.Id, anonymousId, now, cancellationToken);
                            if (unmapped)
                            {
                                // Kept with who sent it, unscored, until its name is mapped.
                                incoming.Add(new IncomingBehavior(eventId, behavior, at, null, contact with { Email = contact.Email ?? visitor?.Email }, bag, bagJson, visitor?.Id, Unmapped: true));
                            }
                            else if (visitor is not null)
                            {
                                incoming.Add(Collector.Incoming(eventId, behavior, at, bag, bagJson, visitor, contact));
                            }
                            else
                            {
                                incoming.Add(new IncomingBehavior(eventId, behavior, at, null, contact, bag, bagJson));
                            }
                        }
                    }
                }
                else
                {
                    error = $"type '{kind}' is not one of track, identify, page, screen.";
                }
            }
            if (error is not null)
            {
                rejected.Add(new SegmentRejection(i, messageId, error));
            }
        }
        if (incoming.Count > 0)
        {
            await ledger.IngestAsync(incoming, cancellationToken);
            linking.Request();
        }
        return new SegmentAnswer(messages.Count - rejected.Count, rejected);
    }

    /// <summary>The mapping table, by event name.</summary>
    public async Task<IReadOnlyList<SegmentMapping>> ListMappingsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.SegmentMappings.AsNoTracking().OrderBy(m => m.Event).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Replaces the mapping table. Events kept unmapped that now map become their behavior, and are scored at once where
    /// their lead is known (else when it appears, as any waiting behavior).
    /// </summary>
    public async Task<IReadOnlyList<SegmentMapping>> SaveMappingsAsync(IReadOnlyList<SegmentMapping> mappings, CancellationToken cancellationToken = default)
    {
        var catalog = await behaviorTypes.CatalogAsync(cancellationToken);
        var errors = new List<FieldError>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < mappings.Count; i++)
        {
            var (name, behavior) = (mappings[i].Event?.Trim() ?? "", mappings[i].Behavior?.Trim() ?? "");
            if (name.Length is 0 or > MaxEventName || UserText.HasControlCharacters(name))
            {
                errors.Add(FieldError.Of($"mappings[{i}].event", "An event name is 1 to {0} characters without control characters.", MaxEventName));
            }
            else if (!seen.Add(name))
            {
                errors.Add(FieldError.Of($"mappings[{i}].event", "'{0}' is mapped twice.", name));
            }
            if (behavior.Length == 0)
            {
                errors.Add(FieldError.Of($"mappings[{i}].behavior", "Choose the behavior this event becomes."));
            }
            else if (!catalog.Contains(behavior))
            {
                errors.Add(FieldError.Of($"mappings[{i}].behavior", "behavior '{0}' is not a known behavior type.", behavior));
            }
        }
        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        var mapped = await unitOfWork.WriteAsync(async scope =>
        {
            var db = scope.Db;
            db.SegmentMappings.RemoveRange(await db.SegmentMappings.ToListAsync(cancellationToken));
            db.SegmentMappings.AddRange(mappings.Select(m => new SegmentMapping { Event = m.Event.Trim(), Behavior = m.Behavior.Trim() }));
            await db.SaveChangesAsync(cancellationToken);
            var remapped = new List<StoredBehavior>();
            foreach (var mapping in mappings)
            {
                var stored = UnmappedPrefix + mapping.Event.Trim();
                var waiting = await db.Behaviors.Where(b => b.Type == stored && b.Outcome == BehaviorOutcome.Unmapped).ToListAsync(cancellationToken);
                foreach (var behavior in waiting)
                {
                    behavior.Type = mapping.Behavior.Trim();
                    behavior.Outcome = BehaviorOutcome.Unlinked;
                }
                remapped.AddRange(waiting);
            }
            await db.SaveChangesAsync(cancellationToken);
            // The leads they belong to: by the contact they carry, or their visitor's.
            var emails = remapped.Select(b => b.ContactEmail).OfType<string>().Distinct().ToList();
            var externalIds = remapped.Select(b => b.ContactExternalId).OfType<string>().Distinct().ToList();
            var leads = await db.Leads.Where(l => (l.Email != null && emails.Contains(l.Email)) || (l.ExternalId != null && externalIds.Contains(l.ExternalId))).ToListAsync(cancellationToken);
            await ledger.LinkUnlinkedAsync(scope, leads, cancellationToken);
            var visitorIds = remapped.Select(b => b.VisitorId).OfType<long>().Distinct().ToList();
            await db.Visitors.Where(v => visitorIds.Contains(v.Id) && v.LeadId != null).ExecuteUpdateAsync(v => v.SetProperty(x => x.LinkPending, true), cancellationToken);
            return remapped.Count;
        }, cancellationToken);
        if (mapped > 0)
        {
            linking.Request();
        }
        return await ListMappingsAsync(cancellationToken);
    }

    /// <summary>Event names received with no mapping, the most recent first.</summary>
    public async Task<IReadOnlyList<UnmappedSegmentEvent>> UnmappedAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Behaviors.AsNoTracking().Where(b => b.Outcome == BehaviorOutcome.Unmapped)
            .GroupBy(b => b.Type).Select(g => new { Type = g.Key, Count = g.Count(), Last = g.Max(b => b.ReceivedAt) })
            .ToListAsync(cancellationToken);
        return [.. rows.OrderByDescending(r => r.Last).Select(r => new UnmappedSegmentEvent(r.Type[UnmappedPrefix.Length..], r.Count, r.Last))];
    }

    // The source's own site, made on first use: it creates leads, in no team.
    private async Task<SiteSettings> SiteAsync(CancellationToken cancellationToken)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            if (await db.Sites.AsNoTracking().FirstOrDefaultAsync(s => s.IsSegmentSource, cancellationToken) is { } existing)
            {
                return Settings(existing);
            }
        }
        var created = await unitOfWork.WriteAsync(async scope =>
        {
            var site = await scope.Db.Sites.FirstOrDefaultAsync(s => s.IsSegmentSource, cancellationToken);
            if (site is null)
            {
                site = new Site
                {
                    Name = SiteName,
                    IsSegmentSource = true,
                    CreateLeads = true,
                    // Never shown and allowed from no origin: the collector refuses it.
                    PublishableKey = "segment_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
                    CreatedAt = clock.GetUtcNow().UtcDateTime,
                };
                scope.Db.Sites.Add(site);
                await scope.Db.SaveChangesAsync(cancellationToken);
            }
            return site;
        }, cancellationToken);
        return Settings(created);
    }

    private static SiteSettings Settings(Site site) =>
        new(site.Id, site.Name, [], null, ConsentMode.Implied, IdentifyPolicy.Form, site.CreateLeads, false, null);

    private async Task<Dictionary<string, string>> MappingsAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.SegmentMappings.AsNoTracking().ToDictionaryAsync(m => m.Event, m => m.Behavior, StringComparer.Ordinal, cancellationToken);
    }

    // properties' text, numbers and true/false as attributes; a page's name and its url, path, title and referrer.
    private static JsonElement AttributesOf(JsonElement message, string type)
    {
        var attributes = new JsonObject();
        if (message.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in properties.EnumerateObject())
            {
                if (property.Value.ValueKind is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False)
                {
                    attributes[property.Name] = JsonNode.Parse(property.Value.GetRawText());
                }
            }
        }
        if (type != "track" && Text(message, "name", 200) is { } name)
        {
            attributes["name"] = name;
        }
        return JsonSerializer.SerializeToElement(new JsonObject { ["attributes"] = attributes });
    }

    private static string? Text(JsonElement json, string property, int maxLength) =>
        json.ValueKind == JsonValueKind.Object && json.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            && value.GetString()!.Trim() is { Length: > 0 } text
            ? (text.Length > maxLength ? text[..maxLength] : text)
            : null;
}
