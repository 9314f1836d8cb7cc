using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using BehaviorPoints.Core.Domain;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.Persistence;

/// <summary>
/// The one way Core walks through many leads: in id order, a batch at a time, each batch starting after the last id of
/// the one before (a keyset, never an offset, so a walk over a million leads costs the same per batch at the end as at
/// the start, and a position is just a lead id that a job can store and resume from).
/// </summary>
public static class LeadKeyset
{
    /// <summary>The ids of the next <paramref name="count"/> leads after <paramref name="position"/>, in id order.</summary>
    public static Task<List<long>> NextIdsAsync(this IQueryable<Lead> leads, long position, int count, CancellationToken cancellationToken = default) =>
        leads.Where(l => l.Id > position).OrderBy(l => l.Id).Select(l => l.Id).Take(count).ToListAsync(cancellationToken);

    /// <summary>
    /// Every lead of <paramref name="leads"/> in id order, shaped by <paramref name="select"/>, <paramref name="batchSize"/>
    /// at a time, for readers (the publish preview, exports) that walk many leads without holding them all.
    /// </summary>
    public static async IAsyncEnumerable<IReadOnlyList<T>> BatchesAsync<T>(
        this IQueryable<Lead> leads,
        Expression<Func<Lead, T>> select,
        Func<T, long> idOf,
        int batchSize,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        long position = 0;
        while (true)
        {
            var batch = await leads.Where(l => l.Id > position).OrderBy(l => l.Id).Take(batchSize).Select(select).ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                yield break;
            }
            yield return batch;
            if (batch.Count < batchSize)
            {
                yield break;
            }
            position = idOf(batch[^1]);
        }
    }
}
