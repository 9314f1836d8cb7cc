namespace BehaviorPoints.Core.Dashboard;

/// <summary>
/// Shares of a whole as whole percentages that add up to exactly 100 (largest remainder): 1/3, 1/3, 1/3 shows as
/// 34 %, 33 %, 33 %, never as three 33 % that leave the reader wondering where 1 % went.
/// </summary>
public static class WholePercents
{
    /// <summary>One percentage per count, in order; all zero when the counts are.</summary>
    public static int[] Of(IReadOnlyList<long> counts)
    {
        var total = counts.Sum();
        var percents = new int[counts.Count];
        if (total <= 0)
        {
            return percents;
        }
        var remainders = new (double Remainder, int Index)[counts.Count];
        for (var i = 0; i < counts.Count; i++)
        {
            var exact = 100.0 * counts[i] / total;
            percents[i] = (int)Math.Floor(exact);
            remainders[i] = (exact - percents[i], i);
        }
        // Hand the points lost to rounding down to the largest remainders; ties go to the earlier share.
        var missing = 100 - percents.Sum();
        foreach (var (_, index) in remainders.OrderByDescending(r => r.Remainder).ThenBy(r => r.Index).Take(missing))
        {
            percents[index]++;
        }
        return percents;
    }
}
