using System.Linq.Expressions;
using BehaviorPoints.Core.Domain;
using Microsoft.EntityFrameworkCore.Query;

namespace BehaviorPoints.Core.Accounts;

/// <summary>
/// Which leads someone may see and edit. Administrators (and admin API keys) see and edit all; Managers see all and
/// edit their teams'; Sales see and edit their teams'. Every lead query goes through <see cref="LeadAccessExtensions.VisibleTo"/>.
/// </summary>
public sealed record LeadAccess(bool SeesAll, IReadOnlyList<int> TeamIds, bool EditsAll = false)
{
    public static LeadAccess All { get; } = new(true, [], EditsAll: true);

    public static LeadAccess Teams(IEnumerable<int> teamIds) => new(false, teamIds.ToList());

    /// <summary>Whether a lead of this team may be edited (fields, manual adjustments).</summary>
    public bool CanEdit(int? teamId) => EditsAll || (teamId is { } id && TeamIds.Contains(id));
}

/// <summary>The one place the "Sales sees their teams' leads" rule is applied.</summary>
public static class LeadAccessExtensions
{
    public static IQueryable<Lead> VisibleTo(this IQueryable<Lead> leads, LeadAccess access)
    {
        if (access.SeesAll)
        {
            return leads;
        }
        var teamIds = access.TeamIds;
        return leads.Where(l => l.TeamId != null && teamIds.Contains(l.TeamId.Value));
    }

    /// <summary>
    /// The rows (tasks, behaviors) whose lead, picked by <paramref name="leadId"/>, the caller may see. Someone who sees
    /// every lead gets the rows as they are (every such row's lead exists): asking whether a row's lead is one of all the
    /// leads makes SQLite gather every lead's id first, 200 ms at a million leads.
    /// </summary>
    public static IQueryable<T> OfLeadsVisibleTo<T>(this IQueryable<T> rows, IQueryable<Lead> leads, LeadAccess access, Expression<Func<T, long>> leadId)
    {
        if (access.SeesAll)
        {
            return rows;
        }
        var visible = leads.VisibleTo(access).Select(l => l.Id);
        Expression<Func<long, bool>> isVisible = id => visible.Contains(id);
        var test = ReplacingExpressionVisitor.Replace(isVisible.Parameters[0], leadId.Body, isVisible.Body);
        return rows.Where(Expression.Lambda<Func<T, bool>>(test, leadId.Parameters[0]));
    }
}
