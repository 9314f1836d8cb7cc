using Microsoft.AspNetCore.Identity;

namespace BehaviorPoints.Core.Domain;

/// <summary>A person who signs in: an administrator, a sales rep or a manager.</summary>
public sealed class ApplicationUser : IdentityUser
{
    public string? DisplayName { get; set; }

    /// <summary>Marked away (by themselves or an administrator): round-robin routing skips them.</summary>
    public bool IsAway { get; set; }

    /// <summary>The teams a Sales user works in; they see these teams' leads.</summary>
    public List<Team> Teams { get; } = [];
}

/// <summary>A sales team; leads belong to one team and Sales users to one or more.</summary>
public sealed class Team
{
    public int Id { get; private set; }
    public string Name { get; set; } = "";
    public List<ApplicationUser> Members { get; } = [];
}

/// <summary>The three roles of SPEC §1.</summary>
public static class Roles
{
    public const string Administrator = "Administrator";
    public const string Sales = "Sales";
    public const string Manager = "Manager";

    public static IReadOnlyList<string> All { get; } = [Administrator, Sales, Manager];
}
