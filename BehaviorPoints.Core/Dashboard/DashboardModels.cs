namespace BehaviorPoints.Core.Dashboard;

/// <summary>
/// What the dashboard shows: one team or all, over a date range (inclusive, UTC days). The range governs the trend and
/// the points earned; level counts, the grid and conversion describe the leads as they are now.
/// </summary>
public sealed record DashboardFilter(int? TeamId, DateOnly From, DateOnly To)
{
    public const int DefaultWeeks = 12;
    public const int MaxDays = 366;

    /// <summary>The first day's start and the last day's start, as stored dates (UTC midnight) compare.</summary>
    public DateTime FirstDay => From.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
    public DateTime LastDay => To.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);

    /// <summary>The last twelve whole weeks up to today.</summary>
    public static DashboardFilter Default(DateOnly today, int? teamId = null) => new(teamId, today.AddDays(-DefaultWeeks * 7 + 1), today);
}

/// <summary>
/// Leads in one intent level now: how many, their share of all (exact, and as a whole percentage that adds up to 100
/// over the levels), and how many converted.
/// </summary>
public sealed record IntentLevelRow(string Level, int Leads, double Share, int Converted, int Percent)
{
    /// <summary>Converted leads over all leads in the level, 0 to 1; null for an empty level.</summary>
    public double? ConversionRate => Leads == 0 ? null : (double)Converted / Leads;
}

/// <summary>
/// Fit level (rows, High first) × intent level (columns, lowest first): lead counts. Leads that the fit model has not
/// scored yet are counted apart in <see cref="NotScored"/>.
/// </summary>
public sealed record FitIntentGrid(IReadOnlyList<string> FitLevels, IReadOnlyList<string> IntentLevels, int[,] Counts, int NotScored)
{
    public int this[string fitLevel, string intentLevel] =>
        Counts[FitLevels.ToList().IndexOf(fitLevel), IntentLevels.ToList().IndexOf(intentLevel)];
}

/// <summary>How many leads entered each intent level in the week that starts on <see cref="WeekStart"/> (a Monday).</summary>
public sealed record WeeklyLevelEntries(DateOnly WeekStart, IReadOnlyDictionary<string, int> Entered);

/// <summary>Points one behavior type or rule earned in the period, over how many entries.</summary>
public sealed record PointsEarned(string Key, string Label, string? Channel, long Points, int Entries);

/// <summary>Every number on the dashboard.</summary>
public sealed record DashboardData(
    DashboardFilter Filter,
    string? IntentFieldName,
    IReadOnlyList<IntentLevelRow> Levels,
    int TotalLeads,
    FitIntentGrid Grid,
    bool FitPublished,
    IReadOnlyList<WeeklyLevelEntries> Trend,
    IReadOnlyList<PointsEarned> TopBehaviors,
    IReadOnlyList<PointsEarned> TopRules)
{
    /// <summary>Categories and stages (SPEC §12); empty lists before anything is published.</summary>
    public FunnelSummary Funnel { get; init; } = FunnelSummary.Empty;
}

/// <summary>How many leads are hot for a category: at or above its top level's start (any points, when it has no levels).</summary>
public sealed record CategoryHotCount(string Category, string? TopLevel, long? Threshold, int Leads);

/// <summary>How many leads are in a stage now.</summary>
public sealed record StageCount(string Stage, int Leads);

/// <summary>The moves between stages in one week (starting Monday): how many leads went from one stage to another.</summary>
public sealed record WeeklyStageFlow(DateOnly Week, IReadOnlyList<StageFlow> Moves);

public sealed record StageFlow(string From, string To, int Leads);

/// <summary>The dashboard's categories and stages panel.</summary>
public sealed record FunnelSummary(IReadOnlyList<CategoryHotCount> Categories, IReadOnlyList<StageCount> Stages, IReadOnlyList<WeeklyStageFlow> Flow)
{
    public static FunnelSummary Empty { get; } = new([], [], []);
}
