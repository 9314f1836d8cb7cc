using BehaviorPoints.Core.Accounts;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Engine;
using BehaviorPoints.Core.Fit;
using BehaviorPoints.Core.Persistence;
using BehaviorPoints.Core.Scoring;
using BehaviorPoints.Core.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.Leads;

/// <summary>
/// Creates and updates leads, checked by <see cref="LeadWriteChecks"/> for the writer's access. Creating or updating a
/// lead links and scores the behaviors already waiting for its email, phone or external id, in the same transaction.
/// </summary>
public sealed class LeadCommands(
    PublishedRuleSets publishedRuleSets,
    PublishedFitModels fitModels,
    Ledger ledger,
    LeadQueries queries,
    UnitOfWork unitOfWork,
    ScoreNotifications notifications,
    WebhookOutbox outbox,
    TimeProvider clock)
{
    /// <summary>
    /// Creates a lead where <paramref name="access"/> may file it (see <see cref="LeadWriteChecks"/>) and scores the
    /// behaviors already waiting for its email, phone or external id. Throws <see cref="ValidationFailedException"/>
    /// with every problem.
    /// </summary>
    public async Task<LeadView> CreateAsync(LeadInput input, LeadAccess access, CancellationToken cancellationToken = default)
    {
        var result = (await CreateManyAsync([input], access, null, cancellationToken))[0];
        if (result.LeadId is not { } id)
        {
            throw new ValidationFailedException(result.Errors);
        }
        return (await queries.FindAsync(id, LeadAccess.All, cancellationToken))!;
    }

    /// <summary>
    /// Creates many leads in one transaction, each checked as <see cref="CreateAsync"/> checks one; an input with
    /// problems is answered with them and not written, the others are. <paramref name="labels"/> name the inputs in
    /// messages about duplicates within the batch ("row 4").
    /// </summary>
    public async Task<IReadOnlyList<LeadWriteResult>> CreateManyAsync(
        IReadOnlyList<LeadInput> inputs, LeadAccess access, IReadOnlyList<string>? labels = null, CancellationToken cancellationToken = default)
    {
        return await unitOfWork.WriteAsync(async scope =>
        {
            var db = scope.Db;

            var checks = await LeadWriteChecks.LoadAsync(db, inputs, access, cancellationToken);
            var ruleSet = await publishedRuleSets.CurrentAsync(db, cancellationToken);
            var stages = ruleSet?.Stages ?? StagePath.Default;
            var checkedInputs = new List<(int Index, LeadInput Input, LeadPlacement Placement)>();
            var results = new LeadWriteResult[inputs.Count];
            for (var i = 0; i < inputs.Count; i++)
            {
                var errors = LeadValidator.Validate(inputs[i]).ToList();
                CheckStage(inputs[i], stages, errors);
                var placement = checks.Check(inputs[i], null, labels?[i] ?? $"input {i + 1}", errors);
                if (errors.Count > 0)
                {
                    results[i] = new LeadWriteResult(null, errors);
                    continue;
                }
                checkedInputs.Add((i, inputs[i], placement));
            }

            var newTeams = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            foreach (var name in checkedInputs.Select(c => c.Placement.NewTeam).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase))
            {
                newTeams[name] = (await TeamDirectory.GetOrCreateAsync(db, name, cancellationToken)).Id;
            }

            var now = clock.GetUtcNow().UtcDateTime;
            var bands = PublishedRuleSets.BandsOf(ruleSet);
            var fit = await fitModels.CurrentAsync(db, cancellationToken);
            var created = new List<(int Index, Lead Lead)>(checkedInputs.Count);
            foreach (var (index, input, placement) in checkedInputs)
            {
                var lead = new Lead(LeadValidator.Fields(input), now, bands, stages.First);
                lead.AssignTo(placement.OwnerId, placement.NewTeam is { } name ? newTeams[name] : placement.TeamId);
                lead.ApplyFit(fit?.Score(lead));
                if (input.Source is { } source)
                {
                    lead.CameFrom(source);
                }
                db.Leads.Add(lead);
                created.Add((index, lead));
            }
            await db.SaveChangesAsync(cancellationToken);

            foreach (var (index, lead) in created)
            {
                if (IntentLevelChange.Of(lead, null, lead.CreatedAt) is { } entered)
                {
                    // A new lead enters the lowest level: the dashboard's trend counts it there.
                    db.IntentLevelChanges.Add(entered);
                }
                if (stages.Find(inputs[index].Stage) is { } placed && placed != lead.Stage)
                {
                    db.StageChanges.Add(StageChange.Move(lead, placed, StageChangeReason.Manual, null, null, now));
                }
                results[index] = new LeadWriteResult(lead.Id, []);
            }
            if (await outbox.WantsAsync(scope, LeadCreated.TypeName, cancellationToken))
            {
                await outbox.AddAsync(scope, await CreatedEventsAsync(db, created.Select(c => c.Lead).ToList(), now, cancellationToken), cancellationToken);
            }
            var linked = await ledger.LinkUnlinkedAsync(scope, created.Select(c => c.Lead).ToList(), cancellationToken);
            if (linked.Count > 0)
            {
                await notifications.AnnounceAsync(scope, ScoreNotifications.ChangesOf(linked), cancellationToken);
            }
            return results;
        }, cancellationToken);
    }

    /// <summary>
    /// Replaces the lead's fields, checked as <see cref="CreateAsync"/> checks them. Returns null when the lead does
    /// not exist or <paramref name="access"/> may not see it.
    /// </summary>
    public async Task<LeadView?> UpdateAsync(long id, LeadInput input, LeadAccess access, CancellationToken cancellationToken = default, string? changedBy = null)
    {
        LeadValidator.ThrowIfInvalid(input);
        var updated = await unitOfWork.WriteAsync(async scope =>
        {
            var db = scope.Db;
            var lead = await db.Leads.VisibleTo(access).FirstOrDefaultAsync(l => l.Id == id, cancellationToken);
            if (lead is null)
            {
                return (long?)null;
            }
            if (!access.CanEdit(lead.TeamId))
            {
                throw new NotAllowedException("Only the lead's team and administrators may edit it.");
            }
            var checks = await LeadWriteChecks.LoadAsync(db, [input], access, cancellationToken);
            var errors = new List<FieldError>();
            var stages = (await publishedRuleSets.CurrentAsync(db, cancellationToken))?.Stages ?? StagePath.Default;
            CheckStage(input, stages, errors);
            var placement = checks.Check(input, id, "this lead", errors, lead.OwnerId);
            if (errors.Count > 0)
            {
                throw new ValidationFailedException(errors);
            }
            var teamId = placement.NewTeam is { } newTeam ? (await TeamDirectory.GetOrCreateAsync(db, newTeam, cancellationToken)).Id : placement.TeamId;
            var now = clock.GetUtcNow().UtcDateTime;
            lead.Update(LeadValidator.Fields(input), now);
            if (stages.Find(input.Stage) is { } moved && moved != lead.Stage)
            {
                db.StageChanges.Add(StageChange.Move(lead, moved, StageChangeReason.Manual, null, changedBy, now));
            }
            var ownerBefore = lead.OwnerId;
            lead.AssignTo(placement.OwnerId, teamId);
            lead.ApplyFit((await fitModels.CurrentAsync(db, cancellationToken))?.Score(lead));
            await db.SaveChangesAsync(cancellationToken);
            if (lead.OwnerId is { } owner && owner != ownerBefore && await outbox.WantsAsync(scope, LeadAssigned.TypeName, cancellationToken))
            {
                var ownerEmail = await db.Users.Where(u => u.Id == owner).Select(u => u.Email).FirstOrDefaultAsync(cancellationToken);
                var reason = $"Assigned by hand{(changedBy is null ? "" : $" by {changedBy}")}";
                await outbox.AddAsync(scope, [new LeadAssigned(lead.Id, ownerEmail, null, null, reason, now)], cancellationToken);
            }
            if (await ledger.LinkUnlinkedAsync(scope, lead, cancellationToken) > 0)
            {
                await notifications.AnnounceAsync(scope, ScoreNotifications.ChangesOf([lead]), cancellationToken);
            }
            return (long?)lead.Id;
        }, cancellationToken);
        return updated is { } leadId ? await queries.FindAsync(leadId, LeadAccess.All, cancellationToken) : null;
    }

    /// <summary>
    /// Moves a lead the caller may edit to another funnel stage by hand (recorded with who moved it, SPEC §12). Returns
    /// null when the lead does not exist or is not visible.
    /// </summary>
    public async Task<LeadView?> MoveStageAsync(long id, string stage, string movedBy, LeadAccess access, CancellationToken cancellationToken = default)
    {
        var view = await queries.FindAsync(id, access, cancellationToken);
        return view is null ? null : await UpdateAsync(id, view.ToInput() with { Stage = stage }, access, cancellationToken, movedBy);
    }

    // A stage named on a write must be one of the published rule set's stages.
    private static void CheckStage(LeadInput input, StagePath stages, List<FieldError> errors)
    {
        if (!string.IsNullOrWhiteSpace(input.Stage) && stages.Find(input.Stage) is null)
        {
            errors.Add(FieldError.Of("stage", "Stage '{0}' is not one of the stages: {1}.", input.Stage.Trim(), string.Join(", ", stages.Stages.Select(s => s.Name))));
        }
    }

    // The lead.created events of new leads (SPEC §11), with their team's name and owner's email as people know them.
    private static async Task<List<IWebhookEvent>> CreatedEventsAsync(BehaviorPointsDbContext db, List<Lead> leads, DateTime now, CancellationToken cancellationToken)
    {
        if (leads.Count == 0)
        {
            return [];
        }
        var teamIds = leads.Select(l => l.TeamId).OfType<int>().Distinct().ToList();
        var ownerIds = leads.Select(l => l.OwnerId).OfType<string>().Distinct().ToList();
        var teams = await db.Teams.AsNoTracking().Where(t => teamIds.Contains(t.Id)).ToDictionaryAsync(t => t.Id, t => t.Name, cancellationToken);
        var owners = await db.Users.AsNoTracking().Where(u => ownerIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Email, cancellationToken);
        return [.. leads.Select(l => new LeadCreated(
            l.Id,
            l.Name,
            l.Email,
            l.Company,
            l.TeamId is { } team ? teams.GetValueOrDefault(team) : null,
            l.OwnerId is { } owner ? owners.GetValueOrDefault(owner) : null,
            l.IntentLevel,
            l.Stage,
            now))];
    }
}
