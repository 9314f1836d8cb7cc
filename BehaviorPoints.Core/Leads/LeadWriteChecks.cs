using BehaviorPoints.Core.Accounts;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.Leads;

/// <summary>
/// Where a checked lead goes: its owner and team. <see cref="NewTeam"/> names a team the write will create (only for
/// writers who edit every lead); <see cref="TeamName"/> is the team the lead ends up in, for previews.
/// </summary>
public sealed record LeadPlacement(string? OwnerId, int? TeamId, string? NewTeam, string? TeamName);

/// <summary>
/// The checks every path that writes a lead shares (the lead form, the API, the CSV import), with the same messages:
/// the owner names a user, the team is one the writer may file into, and the email and external id are free.
/// Sales users and managers file leads into their own teams only (a lead outside them would vanish from their view);
/// a lead without a team goes to the writer's team when they have exactly one. Only writers who edit every lead
/// (administrators, admin API keys) may name a team that does not exist yet, which the write then creates. A lead's
/// owner must be in the lead's team, unless an administrator says otherwise.
/// Reads what a batch of inputs needs with a handful of queries, then answers per input.
/// </summary>
internal sealed class LeadWriteChecks
{
    private readonly LeadAccess _access;
    private readonly Dictionary<string, (int Id, string Name)> _teamsByName;
    private readonly Dictionary<string, (string Id, HashSet<int> Teams)> _usersByEmail;
    private readonly Dictionary<string, string> _takenEmails;
    private readonly Dictionary<string, string> _takenExternalIds;
    private readonly List<(int Id, string Name)> _writerTeams;

    private LeadWriteChecks(
        LeadAccess access,
        Dictionary<string, (int Id, string Name)> teamsByName,
        Dictionary<string, (string Id, HashSet<int> Teams)> usersByEmail,
        Dictionary<string, string> takenEmails,
        Dictionary<string, string> takenExternalIds)
    {
        _access = access;
        _teamsByName = teamsByName;
        _usersByEmail = usersByEmail;
        _takenEmails = takenEmails;
        _takenExternalIds = takenExternalIds;
        _writerTeams = teamsByName.Values.Where(t => access.TeamIds.Contains(t.Id)).OrderBy(t => t.Name, StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <summary>Reads the teams, the owners the inputs name, and the leads that already hold their emails or external ids.</summary>
    public static async Task<LeadWriteChecks> LoadAsync(BehaviorPointsDbContext db, IReadOnlyCollection<LeadInput> inputs, LeadAccess access, CancellationToken cancellationToken)
    {
        var teams = await db.Teams.AsNoTracking().Select(t => new { t.Id, t.Name }).ToListAsync(cancellationToken);
        var teamsByName = new Dictionary<string, (int, string)>(StringComparer.OrdinalIgnoreCase);
        foreach (var team in teams)
        {
            teamsByName.TryAdd(team.Name, (team.Id, team.Name));
        }

        var users = new List<(string Id, string? NormalizedEmail, List<int> Teams)>();
        foreach (var chunk in Keys(inputs.Select(i => NormalizeUserEmail(i.OwnerEmail))))
        {
            users.AddRange((await db.Users.AsNoTracking().Where(u => chunk.Contains(u.NormalizedEmail!))
                .Select(u => new { u.Id, u.NormalizedEmail, Teams = u.Teams.Select(t => t.Id).ToList() })
                .ToListAsync(cancellationToken)).Select(u => (u.Id, u.NormalizedEmail, u.Teams)));
        }

        var takenEmails = new List<(string Key, long Id)>();
        foreach (var chunk in Keys(inputs.Select(i => ContactIdentity.NormalizeEmail(i.Email))))
        {
            takenEmails.AddRange((await db.Leads.AsNoTracking().Where(l => l.Email != null && chunk.Contains(l.Email))
                .Select(l => new { l.Email, l.Id }).ToListAsync(cancellationToken)).Select(l => (l.Email!, l.Id)));
        }
        var takenExternal = new List<(string Key, long Id)>();
        foreach (var chunk in Keys(inputs.Select(i => Clean(i.ExternalId))))
        {
            takenExternal.AddRange((await db.Leads.AsNoTracking().Where(l => l.ExternalId != null && chunk.Contains(l.ExternalId))
                .Select(l => new { l.ExternalId, l.Id }).ToListAsync(cancellationToken)).Select(l => (l.ExternalId!, l.Id)));
        }

        return new LeadWriteChecks(
            access,
            teamsByName,
            users.ToDictionary(u => u.NormalizedEmail!, u => (u.Id, u.Teams.ToHashSet())),
            takenEmails.GroupBy(l => l.Key).ToDictionary(g => g.Key, g => LeadLabel(g.Min(l => l.Id))),
            takenExternal.GroupBy(l => l.Key).ToDictionary(g => g.Key, g => LeadLabel(g.Min(l => l.Id))));
    }

    // A look-up's keys go in as parameters: an import of 100,000 rows asks in chunks, within every database's limit.
    private const int KeysPerQuery = 500;

    /// <summary>
    /// The distinct keys to look up, in chunks. A key with control characters is invalid (the validator says so) and
    /// cannot match a stored one; PostgreSQL would refuse it as a parameter, so it is not asked about.
    /// </summary>
    private static IEnumerable<string[]> Keys(IEnumerable<string?> keys) =>
        keys.OfType<string>().Where(k => !UserText.HasControlCharacters(k)).Distinct().Chunk(KeysPerQuery);

    /// <summary>
    /// Checks one input (of lead <paramref name="self"/> when it is an update, whose owner is
    /// <paramref name="currentOwnerId"/>) and adds every problem to <paramref name="errors"/>. An input without
    /// problems (none in <paramref name="errors"/> either) claims its email and external id, so a later input of the
    /// same batch with the same ones is refused with a message naming <paramref name="label"/> (such as "row 4").
    /// </summary>
    public LeadPlacement Check(LeadInput input, long? self, string label, List<FieldError> errors, string? currentOwnerId = null)
    {
        // A field that already failed its own validation (too long, say) is not looked up as well.
        var (teamId, teamName, newTeam) = errors.Any(e => e.Field == "team") ? (null, null, null) : PlaceInTeam(input.Team, errors);
        var ownerId = errors.Any(e => e.Field == "ownerEmail") ? null : FindOwner(input.OwnerEmail, teamId, teamName, currentOwnerId, errors);

        var selfLabel = self is { } id ? LeadLabel(id) : null;
        var email = ContactIdentity.NormalizeEmail(input.Email);
        if (email is not null && _takenEmails.TryGetValue(email, out var emailHolder) && emailHolder != selfLabel)
        {
            errors.Add(FieldError.Of("email", "{0} already has the email {1}.", Capitalized(emailHolder), email));
        }
        var externalId = Clean(input.ExternalId);
        if (externalId is not null && _takenExternalIds.TryGetValue(externalId, out var externalHolder) && externalHolder != selfLabel)
        {
            errors.Add(FieldError.Of("externalId", "{0} already has the external id {1}.", Capitalized(externalHolder), externalId));
        }

        if (errors.Count == 0)
        {
            if (email is not null) _takenEmails[email] = selfLabel ?? label;
            if (externalId is not null) _takenExternalIds[externalId] = selfLabel ?? label;
            if (newTeam is not null) _teamsByName.TryAdd(newTeam, (0, newTeam));
        }
        return new LeadPlacement(ownerId, teamId, newTeam, teamName);
    }

    private (int? Id, string? Name, string? NewTeam) PlaceInTeam(string? requested, List<FieldError> errors)
    {
        var name = Clean(requested);
        if (name is null)
        {
            if (_access.EditsAll)
            {
                return (null, null, null);
            }
            switch (_writerTeams.Count)
            {
                case 1:
                    return (_writerTeams[0].Id, _writerTeams[0].Name, null);
                case 0:
                    errors.Add(FieldError.Of("team", "You are in no team, so a lead you file would be hidden from you; ask an administrator to add you to a team."));
                    return (null, null, null);
                default:
                    errors.Add(FieldError.Of("team", "Choose a team: you are in {0}.", YourTeams()));
                    return (null, null, null);
            }
        }

        if (!_teamsByName.TryGetValue(name, out var team))
        {
            if (_access.EditsAll)
            {
                return (null, name, name);
            }
            errors.Add(FieldError.Of("team", "There is no team '{0}', and only an administrator can create one. Your teams: {1}.", name, YourTeams()));
            return (null, null, null);
        }
        if (team.Id == 0)
        {
            // Created by an earlier input of the same batch.
            return (null, team.Name, team.Name);
        }
        if (!_access.EditsAll && !_access.TeamIds.Contains(team.Id))
        {
            errors.Add(FieldError.Of("team", "'{0}' is not one of your teams ({1}): you can file leads into your own teams only.", team.Name, YourTeams()));
            return (null, null, null);
        }
        return (team.Id, team.Name, null);
    }

    private string? FindOwner(string? ownerEmail, int? teamId, string? teamName, string? currentOwnerId, List<FieldError> errors)
    {
        if (NormalizeUserEmail(ownerEmail) is not { } normalized)
        {
            return null;
        }
        if (!_usersByEmail.TryGetValue(normalized, out var owner))
        {
            errors.Add(FieldError.Of("ownerEmail", "No user has the email {0}.", ownerEmail!.Trim()));
            return null;
        }
        // An owner an administrator chose stays acceptable when someone else edits the lead's other fields.
        if (!_access.EditsAll && owner.Id != currentOwnerId && teamId is { } id && !owner.Teams.Contains(id))
        {
            errors.Add(FieldError.Of("ownerEmail", "{0} is not in team {1}: a lead's owner works in the lead's team.", ownerEmail!.Trim(), teamName));
            return null;
        }
        return owner.Id;
    }

    private string YourTeams() => _writerTeams.Count == 0 ? "none" : string.Join(", ", _writerTeams.Select(t => t.Name));

    private static string LeadLabel(long id) => $"lead {id}";

    private static string Capitalized(string label) => char.ToUpperInvariant(label[0]) + label[1..];

    private static string? NormalizeUserEmail(string? email) => Clean(email)?.ToUpperInvariant();

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
