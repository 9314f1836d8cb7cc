using BehaviorPoints.Core.Domain;

namespace BehaviorPoints.Core.Leads;

/// <summary>What a person or the API sends to create or update a lead.</summary>
public sealed record LeadInput
{
    public string Name { get; init; } = "";
    public string? Company { get; init; }
    public string? Email { get; init; }
    public string? Phone { get; init; }
    public string? ExternalId { get; init; }

    /// <summary>The email of an existing user who owns the lead.</summary>
    public string? OwnerEmail { get; init; }

    /// <summary>A team name; a team that does not exist yet is created.</summary>
    public string? Team { get; init; }
    public LeadStatus Status { get; init; } = LeadStatus.Open;
    public string? Industry { get; init; }
    public string? CompanySize { get; init; }
    public string? JobTitle { get; init; }
    public string? Region { get; init; }

    /// <summary>The funnel stage to put the lead in (a manual move, recorded); null leaves it where it is.</summary>
    public string? Stage { get; init; }

    /// <summary>Where a lead the app made came from ("website"); set by the server only, at creation.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string? Source { get; init; }
}

/// <summary>A lead as shown and answered by the API.</summary>
public sealed record LeadView(
    long Id,
    string Name,
    string? Company,
    string? Email,
    string? Phone,
    string? ExternalId,
    string? OwnerEmail,
    string? OwnerName,
    string? Team,
    LeadStatus Status,
    string? Industry,
    string? CompanySize,
    string? JobTitle,
    string? Region,
    long BehaviorPoints,
    string? IntentLevel,
    int? FitScore,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    DateTime? LastActivityAt,
    int? TeamId = null,
    string? FitLevel = null,
    DateTime? RescoredAt = null,
    int? RescoredVersion = null,
    string Stage = "",
    long StageScore = 0,
    double? ConversionProbability = null,
    [property: System.Text.Json.Serialization.JsonIgnore] string? ConversionFactorsJson = null)
{
    /// <summary>The lead's score in the category the list is filtered or sorted by; null otherwise.</summary>
    public long? CategoryScore { get; init; }

    /// <summary>Whether the lead has no owner: it waits in its team's pool (SPEC §10).</summary>
    public bool InPool => OwnerEmail is null;

    public LeadInput ToInput() => new()
    {
        Name = Name,
        Company = Company,
        Email = Email,
        Phone = Phone,
        ExternalId = ExternalId,
        OwnerEmail = OwnerEmail,
        Team = Team,
        Status = Status,
        Industry = Industry,
        CompanySize = CompanySize,
        JobTitle = JobTitle,
        Region = Region,
    };
}

/// <summary>How the lead list is ordered.</summary>
public enum LeadSort
{
    ScoreDesc,
    ScoreAsc,
    NameAsc,
    NewestFirst,
    LastActivityDesc,
    NameDesc,
    CompanyAsc,
    CompanyDesc,
    LastActivityAsc,

    /// <summary>By the score in the query's category, highest first (by Behavior Points when no category is set).</summary>
    CategoryScoreDesc,

    /// <summary>By the likelihood to convert, likeliest first; leads without one last.</summary>
    LikelihoodDesc,

    /// <summary>By the likelihood to convert, least likely first; leads without one last.</summary>
    LikelihoodAsc,
}

/// <summary>
/// A filter over the lead list; all parts optional. A new filter must also be known to
/// <see cref="LeadCountQueries.Countable"/>, which counts from the kept counts when only the filters they are kept by are set.
/// </summary>
public sealed record LeadQuery
{
    public string? IntentLevel { get; init; }

    /// <summary>Low, Medium or High fit (the dashboard's grid cells link here).</summary>
    public string? FitLevel { get; init; }
    public int? TeamId { get; init; }
    public long? MinScore { get; init; }
    public long? MaxScore { get; init; }

    /// <summary>Only leads with entries in this category (SPEC §12), at least <see cref="MinCategoryScore"/> in it when set.</summary>
    public string? Category { get; init; }
    public long? MinCategoryScore { get; init; }

    /// <summary>Only leads in this funnel stage.</summary>
    public string? Stage { get; init; }

    /// <summary>Only leads whose likelihood to convert (0 to 1) is at least this (SPEC §13); leads without one never match.</summary>
    public double? MinLikelihood { get; init; }

    /// <summary>Only leads without an owner: their team's pool (SPEC §10).</summary>
    public bool InPool { get; init; }

    /// <summary>Only the leads this user owns ("mine").</summary>
    public string? OwnerId { get; init; }

    /// <summary>Matches name, company or email, ignoring case.</summary>
    public string? Search { get; init; }
    public LeadSort Sort { get; init; } = LeadSort.ScoreDesc;
    public int Offset { get; init; }
    public int Limit { get; init; } = 50;
}

/// <summary>
/// One page of the lead list, with the number of leads that match the filter. A text search that matches more than
/// <see cref="LeadQueries.SearchCountLimit"/> leads is counted that far only: then <see cref="TotalCountIsLowerBound"/> is
/// true and <see cref="TotalCount"/> says how many match at least (the limit, or the leads up to this page and one more
/// once a page goes past it); on the last page it is exact again.
/// </summary>
public sealed record LeadPage(IReadOnlyList<LeadView> Leads, int TotalCount, bool TotalCountIsLowerBound = false);

/// <summary>One input of a checked lead write: the new lead's id, or every problem that kept it from being written.</summary>
public sealed record LeadWriteResult(long? LeadId, IReadOnlyList<FieldError> Errors);
