namespace BehaviorPoints.Core.Domain;

/// <summary>When the tracker may send (SPEC §16).</summary>
public enum ConsentMode
{
    /// <summary>Send unless the browser says Do Not Track or Global Privacy Control.</summary>
    Implied,

    /// <summary>Send nothing until the page calls <c>bp('consent', true)</c>.</summary>
    Required,
}

/// <summary>What identifies a visitor as a person.</summary>
public enum IdentifyPolicy
{
    /// <summary>A form submit or an identify call carrying an email identifies the visitor.</summary>
    Form,

    /// <summary>Only an identify signed with the site's identify secret does.</summary>
    Signed,
}

/// <summary>
/// A company website that sends behaviors through the tracker: where it may send from, what its publishable key is, and
/// how its visitors become leads.
/// </summary>
public sealed class Site
{
    public int Id { get; set; }
    public string Name { get; set; } = "";

    /// <summary>The allowed origins, one per line (<c>https://www.example.com</c>, <c>https://*.example.com</c>).</summary>
    public string Origins { get; set; } = "";

    /// <summary>The team the leads it creates join; null for none.</summary>
    public int? TeamId { get; set; }
    public Team? Team { get; set; }
    public ConsentMode Consent { get; set; }
    public IdentifyPolicy Identify { get; set; }
    public bool CreateLeads { get; set; }
    public bool TrackAllForms { get; set; }

    /// <summary>The publishable key (<c>pk_…</c>): it may only send this site's collector events.</summary>
    public string PublishableKey { get; set; } = "";

    /// <summary>The identify secret encrypted with the app's key ring (an HMAC key must be readable to verify with).</summary>
    public string? ProtectedIdentifySecret { get; set; }
    public DateTime CreatedAt { get; set; }

    /// <summary>
    /// The Segment-compatible source's own site: its visitors are Segment's anonymous ids. It has no origins and no key
    /// a browser could use, and is not listed among the websites.
    /// </summary>
    public bool IsSegmentSource { get; set; }

    public IReadOnlyList<string> OriginList => Origins.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>
/// One browser on one site, by the random id the tracker keeps in its <c>bp_vid</c> cookie. Its behaviors wait unscored
/// (as unlinked) until it is identified, then go to its lead; a suspected bot's are held until an administrator releases it.
/// </summary>
public sealed class Visitor
{
    public long Id { get; set; }
    public int SiteId { get; set; }
    public Site? Site { get; set; }

    /// <summary>The tracker's visitor id (32 hex characters).</summary>
    public string Key { get; set; } = "";

    /// <summary>The lead it was last identified as; null while anonymous.</summary>
    public long? LeadId { get; set; }

    /// <summary>The email it identified with while no lead had it (the site does not create leads): it waits for one.</summary>
    public string? Email { get; set; }

    /// <summary>The name it gave with <see cref="Email"/>, for the lead made when it is identified.</summary>
    public string? Name { get; set; }
    public DateTime? IdentifiedAt { get; set; }

    /// <summary>
    /// Identified (or released) and its waiting behaviors not all scored yet: until they are, its new behaviors wait too,
    /// so the lead's behaviors are scored in the order they happened.
    /// </summary>
    public bool LinkPending { get; set; }

    /// <summary>Why its behaviors are held back as a suspected bot; null when they are not.</summary>
    public string? HeldReason { get; set; }

    /// <summary>An administrator released it: the detectors no longer hold it.</summary>
    public bool Released { get; set; }
    public DateTime FirstSeen { get; set; }

    /// <summary>When it last sent something (kept by <c>VisitorActivity</c>, a few seconds behind).</summary>
    public DateTime LastSeen { get; set; }
}

/// <summary>A Segment <c>track</c> event name and the behavior type it becomes (SPEC §16).</summary>
public sealed class SegmentMapping
{
    public string Event { get; set; } = "";
    public string Behavior { get; set; } = "";
}
