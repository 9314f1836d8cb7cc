namespace BehaviorPoints.Core.Engine;

/// <summary>Whether an attribute holds text or a number; the rule builder offers operators to fit.</summary>
public enum AttributeKind
{
    Text,
    Number,
}

/// <summary>An attribute a behavior type commonly carries.</summary>
public sealed record BehaviorAttribute(string Name, string Label, AttributeKind Kind = AttributeKind.Text);

/// <summary>A behavior type: its stable code, a human label, the channel it belongs to and its usual attributes.</summary>
public sealed record BehaviorType(string Code, string Label, string Channel, IReadOnlyList<BehaviorAttribute> Attributes, bool IsBuiltIn = true);

/// <summary>The behavior types rules can name: the SPEC §4 built-ins plus the custom types administrators add.</summary>
public sealed class BehaviorCatalog
{
    private readonly Dictionary<string, BehaviorType> _byCode;

    public BehaviorCatalog(IEnumerable<BehaviorType> custom)
    {
        _byCode = BuiltIn.ToDictionary(t => t.Code, StringComparer.Ordinal);
        foreach (var type in custom)
        {
            _byCode.TryAdd(type.Code, type);
        }
    }

    public IEnumerable<BehaviorType> All => _byCode.Values;

    public bool Contains(string code) => _byCode.ContainsKey(code);

    public BehaviorType? Find(string code) => _byCode.GetValueOrDefault(code);

    /// <summary>The label of a type, or its code when the type is unknown (e.g. a custom type since removed).</summary>
    public string LabelOf(string code) => Find(code)?.Label ?? code;

    private static readonly BehaviorAttribute s_accountId = new("accountId", "Account ID");
    private static readonly BehaviorAttribute s_accountName = new("accountName", "Account name");
    private static readonly BehaviorAttribute[] s_content =
    [
        new("contentId", "Content ID"),
        new("contentType", "Content type (article, product, microsite, document, video)"),
        new("title", "Title"),
        new("url", "URL"),
        new("durationSeconds", "Duration (seconds)", AttributeKind.Number),
    ];
    private static readonly BehaviorAttribute[] s_conference = [new("conferenceId", "Conference ID"), new("conferenceName", "Conference name")];
    private static readonly BehaviorAttribute[] s_channelLocation = [new("channel", "Channel"), new("location", "Location")];
    private static readonly BehaviorAttribute[] s_purchase = [new("amount", "Amount", AttributeKind.Number), new("productId", "Product ID")];

    /// <summary>The built-in types of SPEC §4. Codes are stable: stored behaviors and rules refer to them.</summary>
    public static IReadOnlyList<BehaviorType> BuiltIn { get; } =
    [
        new("official_account.follow", "Follows official account", "Official accounts", [s_accountId, s_accountName]),
        new("official_account.unfollow", "Unfollows official account", "Official accounts", [s_accountId, s_accountName]),
        new("content.view", "Views content", "Content", s_content),
        new("content.share", "Shares content", "Content", s_content),
        new("content.download", "Downloads content", "Content", s_content),
        new("form.submit", "Submits form", "Forms", [new("formId", "Form ID"), new("formName", "Form name")]),
        new("conference.register", "Registers for conference", "Conferences", s_conference),
        new("conference.check_in", "Checks in at conference", "Conferences", s_conference),
        new("webinar.attend", "Attends webinar", "Webinars", [new("webinarId", "Webinar ID")]),
        new("webinar.question", "Asks question in webinar", "Webinars", [new("webinarId", "Webinar ID")]),
        new("email.open", "Opens email", "Email", [new("mailingId", "Mailing ID"), new("url", "URL")]),
        new("email.click", "Clicks link in email", "Email", [new("mailingId", "Mailing ID"), new("url", "URL")]),
        new("email.unsubscribe", "Unsubscribes from email", "Email", [new("mailingId", "Mailing ID")]),
        new("website.visit", "Visits website", "Website", [new("url", "URL"), new("source", "Source (direct, ads, search, social)")]),
        new("live_chat", "Chats live", "Service", s_channelLocation),
        new("store.visit", "Visits store", "Service", s_channelLocation),
        new("call_center.contact", "Contacts call center", "Service", s_channelLocation),
        new("purchase", "Purchases", "Commerce", s_purchase),
        new("cart.abandon", "Abandons cart", "Commerce", s_purchase),
    ];

    /// <summary>A catalog of the built-ins alone (declared last: static fields initialize in order).</summary>
    public static BehaviorCatalog BuiltInOnly { get; } = new([]);
}
