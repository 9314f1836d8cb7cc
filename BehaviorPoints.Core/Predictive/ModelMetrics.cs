using Microsoft.ML;

namespace BehaviorPoints.Core.Predictive;

/// <summary>How a model's predictions of the held-out leads compare with what happened, at one threshold.</summary>
public sealed record ThresholdRow(double Threshold, int TruePositives, int FalsePositives, int TrueNegatives, int FalseNegatives)
{
    /// <summary>Of the leads predicted to convert, the share that did; null when none was predicted to.</summary>
    public double? Precision => TruePositives + FalsePositives == 0 ? null : (double)TruePositives / (TruePositives + FalsePositives);

    /// <summary>Of the leads that converted, the share predicted to; null when none converted.</summary>
    public double? Recall => TruePositives + FalseNegatives == 0 ? null : (double)TruePositives / (TruePositives + FalseNegatives);
}

/// <summary>The held-out leads whose prediction fell in [<see cref="From"/>, <see cref="To"/>): their mean prediction against the share that converted.</summary>
public sealed record CalibrationBin(double From, double To, int Leads, double? MeanPredicted, double? ActualRate);

/// <summary>
/// A model measured on the newest closed leads it did not learn from (SPEC §13): the area under the ROC curve (from
/// ML.NET's evaluator), the confusion matrix with precision and recall at each threshold from 5 % to 95 %, and the
/// calibration table in ten bins.
/// </summary>
public sealed record ModelMetrics(double Auc, int HoldoutWon, int HoldoutLost, IReadOnlyList<ThresholdRow> Thresholds, IReadOnlyList<CalibrationBin> Calibration)
{
    /// <summary>The threshold the pages start at.</summary>
    public const double DefaultThreshold = 0.5;

    /// <summary>The row at <paramref name="threshold"/>, or the nearest one measured.</summary>
    public ThresholdRow At(double threshold) => Thresholds.MinBy(t => Math.Abs(t.Threshold - threshold))!;

    /// <summary>The metrics of <paramref name="predictions"/> (a probability and the outcome per held-out lead).</summary>
    public static ModelMetrics Measure(MLContext ml, IReadOnlyList<(double Probability, bool Won)> predictions)
    {
        var won = predictions.Count(p => p.Won);
        if (won == 0 || won == predictions.Count)
        {
            throw new ArgumentException("The held-out leads must include both won and lost ones.", nameof(predictions));
        }
        var rows = predictions.Select(p => new ScoredRow
        {
            Label = p.Won,
            Probability = (float)p.Probability,
            Score = Logit(p.Probability),
            PredictedLabel = p.Probability >= DefaultThreshold,
        });
        var evaluated = ml.BinaryClassification.Evaluate(ml.Data.LoadFromEnumerable(rows));

        var thresholds = Enumerable.Range(1, 19).Select(i => Math.Round(i * 0.05, 2)).Select(t => new ThresholdRow(
            t,
            predictions.Count(p => p.Won && p.Probability >= t),
            predictions.Count(p => !p.Won && p.Probability >= t),
            predictions.Count(p => !p.Won && p.Probability < t),
            predictions.Count(p => p.Won && p.Probability < t))).ToList();

        var calibration = Enumerable.Range(0, 10).Select(bin =>
        {
            var from = bin / 10.0;
            var to = (bin + 1) / 10.0;
            var inBin = predictions.Where(p => p.Probability >= from && (p.Probability < to || (bin == 9 && p.Probability <= 1))).ToList();
            return new CalibrationBin(
                from, to, inBin.Count,
                inBin.Count == 0 ? null : inBin.Average(p => p.Probability),
                inBin.Count == 0 ? null : (double)inBin.Count(p => p.Won) / inBin.Count);
        }).ToList();

        return new ModelMetrics(evaluated.AreaUnderRocCurve, won, predictions.Count - won, thresholds, calibration);
    }

    private static float Logit(double p)
    {
        var clamped = Math.Clamp(p, 1e-6, 1 - 1e-6);
        return (float)Math.Log(clamped / (1 - clamped));
    }

    /// <summary>A prediction as ML.NET's evaluator reads it.</summary>
    public sealed class ScoredRow
    {
        public bool Label { get; set; }
        public float Score { get; set; }
        public float Probability { get; set; }
        public bool PredictedLabel { get; set; }
    }
}
