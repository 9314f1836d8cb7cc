using Microsoft.ML;
using Microsoft.ML.Data;

namespace BehaviorPoints.Core.Predictive;

/// <summary>Closed leads there are, and how many more of each outcome training needs.</summary>
public sealed record TrainingShortfall(int Won, int Lost, int MissingWon, int MissingLost);

/// <summary>
/// Why no model can be trained from the closed leads there are (too few of an outcome, or the held-out leads all of
/// one), in words for the reader (<see cref="Reason"/>) and, when leads are missing, how many.
/// </summary>
public sealed class CannotTrainException(FieldError reason, TrainingShortfall? shortfall = null) : Exception(reason.Message)
{
    public FieldError Reason { get; } = reason;
    public TrainingShortfall? Shortfall { get; } = shortfall;
}

/// <summary>A model fresh from training: its slots, its bytes as ML.NET saves them, what it learnt from and how it measured.</summary>
public sealed record TrainedModel(FeatureSpace Space, byte[] Bytes, int TrainedWon, int TrainedLost, ModelMetrics Metrics);

/// <summary>A lead's likelihood to convert and the factors behind it.</summary>
public sealed record Prediction(double Probability, IReadOnlyList<ConversionFactor> Factors);

/// <summary>
/// Learns the likelihood to convert from closed leads with ML.NET (SPEC §13): the features scaled to unit variance, then
/// a logistic regression fitted by L-BFGS (whose output is a probability, calibrated by construction), followed by the
/// library's feature-contribution transform that says which slots moved each prediction. The oldest 80 % of closed
/// leads by close date train it; the newest 20 % measure it.
/// </summary>
public static class ConversionTrainer
{
    /// <summary>Training needs at least this many won and this many lost leads.</summary>
    public const int MinimumEach = 40;

    /// <summary>The share of closed leads, newest first, held out to measure the model.</summary>
    public const double HoldoutShare = 0.2;

    private const int Seed = 20261201;

    /// <summary>How many more won and lost leads training needs; null when there are enough.</summary>
    public static TrainingShortfall? Shortfall(IReadOnlyCollection<ClosedLeadFeatures> closed)
    {
        var won = closed.Count(c => c.Won);
        var lost = closed.Count - won;
        return won >= MinimumEach && lost >= MinimumEach ? null
            : new TrainingShortfall(won, lost, Math.Max(0, MinimumEach - won), Math.Max(0, MinimumEach - lost));
    }

    /// <summary>The closed leads split by close date: the oldest to train on, the newest <see cref="HoldoutShare"/> (rounded up) held out.</summary>
    public static (IReadOnlyList<ClosedLeadFeatures> Training, IReadOnlyList<ClosedLeadFeatures> Holdout) Split(IEnumerable<ClosedLeadFeatures> closed)
    {
        var ordered = closed.OrderBy(c => c.ClosedAt).ThenBy(c => c.LeadId).ToList();
        var holdout = (int)Math.Ceiling(ordered.Count * HoldoutShare);
        return (ordered[..^holdout], ordered[^holdout..]);
    }

    /// <summary>Trains and measures a model; throws <see cref="CannotTrainException"/> when the data cannot make one.</summary>
    public static TrainedModel Train(IReadOnlyList<ClosedLeadFeatures> closed)
    {
        if (Shortfall(closed) is { } shortfall)
        {
            throw new CannotTrainException(
                FieldError.Of("closedLeads", "Training needs at least {0} won and {0} lost leads: {1} more won and {2} more lost are missing.", MinimumEach, shortfall.MissingWon, shortfall.MissingLost),
                shortfall);
        }
        var (training, holdout) = Split(closed);
        if (holdout.All(c => c.Won) || holdout.All(c => !c.Won))
        {
            throw new CannotTrainException(FieldError.Of("closedLeads", "The newest {0} closed leads, held out to measure the model, are all won or all lost; the model cannot be measured until both outcomes are among them.", holdout.Count));
        }
        if (training.All(c => c.Won) || training.All(c => !c.Won))
        {
            throw new CannotTrainException(FieldError.Of("closedLeads", "The closed leads before the newest {0} are all won or all lost; the model has nothing to learn from.", holdout.Count));
        }

        var ml = new MLContext(Seed);
        var space = FeatureSpace.For(training.Select(c => c.Features));
        var schema = ModelRows.Schema(space);
        var trainingData = ml.Data.LoadFromEnumerable(training.Select(c => ModelRows.Input(space, c.Features, c.Won)), schema);
        var scaler = ml.Transforms.NormalizeMeanVariance(ModelRows.FeaturesColumn).Fit(trainingData);
        var scaled = scaler.Transform(trainingData);
        var regression = ml.BinaryClassification.Trainers
            .LbfgsLogisticRegression(ModelRows.LabelColumn, ModelRows.FeaturesColumn)
            .Fit(scaled);
        var contributions = ml.Transforms
            .CalculateFeatureContribution(regression, numberOfPositiveContributions: space.Slots.Count, numberOfNegativeContributions: space.Slots.Count, normalize: false)
            .Fit(regression.Transform(scaled));
        var model = new TransformerChain<ITransformer>(scaler, regression, contributions);

        var predictor = new ConversionPredictor(0, space, ml, model);
        var predicted = predictor.Predict(holdout.Select(c => c.Features).ToList(), withFactors: false);
        var metrics = ModelMetrics.Measure(ml, [.. holdout.Select((c, i) => (predicted[i].Probability, c.Won))]);

        using var stream = new MemoryStream();
        ml.Model.Save(model, trainingData.Schema, stream);
        return new TrainedModel(space, stream.ToArray(), training.Count(c => c.Won), training.Count(c => !c.Won), metrics);
    }
}

/// <summary>A trained model loaded for predicting: feeds it leads in batches and reads back probabilities and contributions.</summary>
public sealed class ConversionPredictor
{
    private readonly MLContext _ml;
    private readonly ITransformer _model;

    internal ConversionPredictor(int version, FeatureSpace space, MLContext ml, ITransformer model) =>
        (Version, Space, _ml, _model) = (version, space, ml, model);

    public int Version { get; }
    public FeatureSpace Space { get; }

    public static ConversionPredictor Load(int version, string slotsJson, byte[] bytes)
    {
        var ml = new MLContext();
        using var stream = new MemoryStream(bytes);
        var model = ml.Model.Load(stream, out _);
        return new ConversionPredictor(version, FeatureSpace.FromJson(slotsJson), ml, model);
    }

    /// <summary>The likelihood of each lead, in order, with its strongest factors when asked for.</summary>
    public IReadOnlyList<Prediction> Predict(IReadOnlyList<LeadFeatures> leads, bool withFactors = true)
    {
        if (leads.Count == 0)
        {
            return [];
        }
        var input = _ml.Data.LoadFromEnumerable(leads.Select(l => ModelRows.Input(Space, l, won: false)), ModelRows.Schema(Space));
        var outputs = _ml.Data.CreateEnumerable<ModelRows.Output>(_model.Transform(input), reuseRowObject: false, schemaDefinition: ModelRows.OutputSchema(Space));
        return outputs.Select((o, i) => new Prediction(
            Math.Round(o.Probability, 4),
            withFactors ? ConversionFactor.Strongest(Space, leads[i], o.FeatureContributions) : [])).ToList();
    }
}

/// <summary>The rows ML.NET reads and writes, sized to a model's slots.</summary>
public static class ModelRows
{
    public const string LabelColumn = "Label";
    public const string FeaturesColumn = "Features";

    public static InputRow Input(FeatureSpace space, LeadFeatures lead, bool won) => new() { Label = won, Features = space.Vector(lead) };

    public static SchemaDefinition Schema(FeatureSpace space)
    {
        var schema = SchemaDefinition.Create(typeof(InputRow));
        schema[FeaturesColumn].ColumnType = new VectorDataViewType(NumberDataViewType.Single, space.Slots.Count);
        return schema;
    }

    public static SchemaDefinition OutputSchema(FeatureSpace space)
    {
        var schema = SchemaDefinition.Create(typeof(Output), SchemaDefinition.Direction.Write);
        schema[nameof(Output.FeatureContributions)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, space.Slots.Count);
        return schema;
    }

    public sealed class InputRow
    {
        public bool Label { get; set; }
        public float[] Features { get; set; } = [];
    }

    public sealed class Output
    {
        public float Probability { get; set; }
        public float[] FeatureContributions { get; set; } = [];
    }
}
