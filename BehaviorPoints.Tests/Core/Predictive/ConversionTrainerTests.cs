using BehaviorPoints.Core;
using BehaviorPoints.Core.Predictive;
using Microsoft.ML;

namespace BehaviorPoints.Tests.Core.Predictive;

/// <summary>The model: the 40/40 minimum, the split by close date, the held-out metrics, and what it learns.</summary>
public sealed class ConversionTrainerTests
{
    private static readonly DateTime s_start = new(2026, 6, 1, 0, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData(39, 60, 1, 0)]
    [InlineData(60, 12, 0, 28)]
    [InlineData(0, 0, 40, 40)]
    public void Training_needs_40_won_and_40_lost_and_says_how_many_are_missing(int won, int lost, int missingWon, int missingLost)
    {
        var closed = Cohort(won, lost);

        var error = Assert.Throws<CannotTrainException>(() => ConversionTrainer.Train(closed));

        Assert.Equal(new TrainingShortfall(won, lost, missingWon, missingLost), error.Shortfall);
        Assert.Equal($"Training needs at least 40 won and 40 lost leads: {missingWon} more won and {missingLost} more lost are missing.", error.Reason.Message);
    }

    [Fact]
    public void Forty_of_each_is_enough()
    {
        var model = ConversionTrainer.Train(Cohort(40, 40));

        Assert.Equal(80, model.TrainedWon + model.TrainedLost + model.Metrics.HoldoutWon + model.Metrics.HoldoutLost);
    }

    [Fact]
    public void The_newest_fifth_by_close_date_is_held_out_whatever_order_the_leads_come_in()
    {
        var closed = Enumerable.Range(1, 11)
            .Select(i => new ClosedLeadFeatures(i, i % 2 == 0, s_start.AddDays((i * 7) % 11), Features()))
            .Reverse()
            .ToList();

        var (training, holdout) = ConversionTrainer.Split(closed);

        // 20 % of 11 rounds up to 3: the three latest closes (days 10, 9 and 8 after the start).
        Assert.Equal([s_start.AddDays(8), s_start.AddDays(9), s_start.AddDays(10)], holdout.Select(c => c.ClosedAt));
        Assert.Equal(8, training.Count);
        Assert.True(training.Max(c => c.ClosedAt) < holdout.Min(c => c.ClosedAt));
    }

    [Fact]
    public void Metrics_match_a_small_case_computed_by_hand()
    {
        // Won at 0.9, 0.7, 0.2; lost at 0.8, 0.3, 0.1. Of the 9 won-lost pairs, 6 rank the won lead higher: AUC 6/9.
        (double, bool)[] predictions = [(0.9, true), (0.8, false), (0.7, true), (0.3, false), (0.2, true), (0.1, false)];

        var metrics = ModelMetrics.Measure(new MLContext(1), predictions);

        Assert.Equal(6.0 / 9, metrics.Auc, 6);
        Assert.Equal((3, 3), (metrics.HoldoutWon, metrics.HoldoutLost));
        // At 0.5: predicted to convert 0.9, 0.8, 0.7 (two won, one lost); one won lead (0.2) missed.
        var half = metrics.At(0.5);
        Assert.Equal(new ThresholdRow(0.5, 2, 1, 2, 1), half);
        Assert.Equal(2.0 / 3, half.Precision!.Value, 6);
        Assert.Equal(2.0 / 3, half.Recall!.Value, 6);
        // At 0.75: 0.9 (won) and 0.8 (lost) only; 0.3 and 0.1 rightly not, 0.7 and 0.2 missed.
        Assert.Equal(new ThresholdRow(0.75, 1, 1, 2, 2), metrics.At(0.75));
        Assert.Equal(10, metrics.Calibration.Count);
        Assert.Equal(new CalibrationBin(0.1, 0.2, 1, 0.1, 0.0), metrics.Calibration[1]);
        Assert.Equal(1, metrics.Calibration[9].Leads);
        Assert.Equal(1.0, metrics.Calibration[9].ActualRate);
        Assert.Equal(0, metrics.Calibration[5].Leads);
        Assert.Null(metrics.Calibration[5].ActualRate);
        Assert.Equal(6, metrics.Calibration.Sum(b => b.Leads));
    }

    [Fact]
    public void A_model_learns_a_known_truth_and_names_the_factors_that_raise_and_lower_a_lead()
    {
        var closed = Cohort(300, 300);

        var model = ConversionTrainer.Train(closed);

        // One lead in five goes against the pattern, which caps what any model can reach well below 1.
        Assert.InRange(model.Metrics.Auc, 0.75, 0.95);
        var predictor = ConversionPredictor.Load(1, model.Space.ToJson(), model.Bytes);
        var keen = Features(pricingVisits: 4, industry: "Finance", daysSinceLast: 1);
        var quiet = Features(pricingVisits: 0, industry: "Retail", daysSinceLast: 40);
        var predictions = predictor.Predict([keen, quiet]);
        Assert.True(predictions[0].Probability > 0.7, $"keen lead: {predictions[0].Probability}");
        Assert.True(predictions[1].Probability < 0.3, $"quiet lead: {predictions[1].Probability}");
        Assert.Contains(predictions[0].Factors, f => f.RaisesLikelihood && f.Slot.StartsWith("b:website.visit:", StringComparison.Ordinal));
        Assert.Contains(predictions[1].Factors, f => !f.RaisesLikelihood && f.Slot == FeatureSpace.SinceSlot);
        Assert.All(predictions.SelectMany(p => p.Factors), f => Assert.NotEqual(0, f.Weight));
        Assert.True(predictions[0].Factors.Count(f => f.RaisesLikelihood) <= 3);
        Assert.True(predictions[0].Factors.Count(f => !f.RaisesLikelihood) <= 3);
        Assert.Equal(
            "Visits website 4 times in the last 7 days",
            new ConversionFactor(FeatureSpace.BehaviorSlot("website.visit", 7), 4, 0.5).Describe(Words.English, type => type == "website.visit" ? "Visits website" : type));
        Assert.Equal("Industry: Finance", new ConversionFactor(FeatureSpace.FieldSlot("industry", "Finance"), 1, 0.5).Describe(Words.English, t => t));
        Assert.Equal("Last behavior 40 days ago", new ConversionFactor(FeatureSpace.SinceSlot, 40, -0.5).Describe(Words.English, t => t));
    }

    [Fact]
    public void Less_than_a_day_of_quiet_is_no_factor_and_a_longer_one_is()
    {
        var space = new FeatureSpace([FeatureSpace.SinceSlot]);

        Assert.Empty(ConversionFactor.Strongest(space, Features(daysSinceLast: 0.4), [-0.3f]));
        var quiet = Assert.Single(ConversionFactor.Strongest(space, Features(daysSinceLast: 3), [-0.3f]));
        Assert.Equal("Every day without a behavior lowers it: leads quiet for longer converted less often, other things being equal.", quiet.Why(Words.English));
    }

    /// <summary>
    /// Won leads visit pricing pages in their last week and were active lately; lost leads went quiet. One lead in five
    /// of each goes against the pattern, so the model cannot be perfect.
    /// </summary>
    internal static List<ClosedLeadFeatures> Cohort(int won, int lost, int seed = 7)
    {
        var random = new Random(seed);
        var leads = new List<ClosedLeadFeatures>();
        for (var i = 0; i < won + lost; i++)
        {
            var isWon = i < won;
            var typical = random.NextDouble() >= 0.2;
            var keen = isWon == typical;
            leads.Add(new ClosedLeadFeatures(
                i + 1,
                isWon,
                s_start.AddHours(random.Next(0, 24 * 120)),
                Features(
                    pricingVisits: keen ? random.Next(2, 7) : random.Next(0, 2),
                    industry: random.NextDouble() < (isWon ? 0.6 : 0.2) ? "Finance" : "Retail",
                    daysSinceLast: keen ? random.Next(0, 5) : random.Next(10, 60))));
        }
        return leads;
    }

    private static LeadFeatures Features(int pricingVisits = 1, string? industry = "Retail", double daysSinceLast = 3) => new(
        industry, "51-200", null, "Europe",
        pricingVisits == 0 ? new Dictionary<string, BehaviorCounts>()
            : new Dictionary<string, BehaviorCounts> { ["website.visit"] = new(pricingVisits, pricingVisits + 1, pricingVisits + 2), ["email.open"] = new(1, 2, 3) },
        daysSinceLast,
        pricingVisits * 10);
}
