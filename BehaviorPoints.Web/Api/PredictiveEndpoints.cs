using BehaviorPoints.Core.Predictive;

namespace BehaviorPoints.Web.Api;

/// <summary>The likelihood-to-convert model and the rule insights (SPEC §13), scope admin.</summary>
internal static class PredictiveEndpoints
{
    /// <summary>How many won and lost leads.</summary>
    public sealed record Outcomes(int Won, int Lost);

    /// <summary>The answer to <c>POST /api/v1/predictive/train</c>.</summary>
    public sealed record ApiTrained(int Version, double Auc, Outcomes TrainedOn, bool Live, double? PreviousAuc);

    /// <summary>A stored model version and how it measured on the held-out leads.</summary>
    public sealed record ApiModel(
        int Version, string Status, DateTime TrainedAt, string? TrainedBy, double Auc, Outcomes TrainedOn, Outcomes HeldOut,
        DateTime? LiveSince, IReadOnlyList<ThresholdRow> Thresholds, IReadOnlyList<CalibrationBin> Calibration)
    {
        public static ApiModel Of(ConversionModelView model) => new(
            model.Version, model.Status.ToString().ToLowerInvariant(), model.TrainedAt, model.TrainedBy, model.Auc,
            new Outcomes(model.TrainedWon, model.TrainedLost), new Outcomes(model.Metrics.HoldoutWon, model.Metrics.HoldoutLost),
            model.LiveSince, model.Metrics.Thresholds, model.Metrics.Calibration);
    }

    /// <summary>One rule's insight, as SPEC §13 names the fields.</summary>
    public sealed record ApiRuleInsight(
        string RuleName, int Points, int ClosedLeadsScored, double? ConversionRate, double? ConversionRateWithout, double? Lift, double? Low, double? High,
        bool PointsPointTheWrongWay)
    {
        public static ApiRuleInsight Of(RuleInsight insight) => new(
            insight.RuleName, insight.Points, insight.ClosedLeadsScored, insight.ConversionRate, insight.ConversionRateWithout, insight.Lift,
            insight.Low, insight.High, insight.PointsPointTheWrongWay);
    }

    public static void MapPredictiveEndpoints(this RouteGroupBuilder api)
    {
        var predictive = api.MapGroup("/predictive").RequireAuthorization(ApiPolicies.Admin).WithTags("Predictive");

        predictive.MapPost("/train", async (HttpContext context, ConversionModels models, CancellationToken cancellationToken) =>
        {
            try
            {
                var outcome = await models.TrainAsync($"API key '{context.User.Identity?.Name}'", cancellationToken: cancellationToken);
                var model = outcome.Model;
                return Results.Ok(new ApiTrained(model.Version, model.Auc, new Outcomes(model.TrainedWon, model.TrainedLost), outcome.WentLive, outcome.PreviousAuc));
            }
            catch (CannotTrainException cannot)
            {
                var extensions = new Dictionary<string, object?>();
                if (cannot.Shortfall is { } shortfall)
                {
                    extensions["closedLeads"] = new Outcomes(shortfall.Won, shortfall.Lost);
                    extensions["missing"] = new Outcomes(shortfall.MissingWon, shortfall.MissingLost);
                }
                return Results.Problem(cannot.Reason.Message, statusCode: StatusCodes.Status409Conflict, title: "Cannot train", extensions: extensions);
            }
        })
        .WithName("TrainModel")
        .WithSummary("Train a likelihood-to-convert model from the closed leads")
        .WithDescription("Trains on the oldest 80 % of closed leads (Converted is won, Lost is lost; only what was known before each closed) and measures on the newest 20 %. The model is stored as the next version and goes live only if its AUC is at least 95 % of the live model's (live says whether it did); every open lead's conversionProbability is then refreshed in the background. 409 when there are fewer than 40 won or 40 lost closed leads (missing says how many of each), or the held-out leads are all of one outcome.")
        .Produces<ApiTrained>()
        .ProducesProblem(StatusCodes.Status409Conflict);

        predictive.MapGet("/model", async (ConversionModels models, CancellationToken cancellationToken) =>
            await models.CurrentAsync(cancellationToken) is { } model
                ? Results.Ok(ApiModel.Of(model))
                : ApiResults.NotFound("No model is live yet: train one with POST /api/v1/predictive/train."))
        .WithName("GetModel")
        .WithSummary("The live likelihood-to-convert model and how it measured")
        .WithDescription("Its version, what it was trained on and held out, the held-out AUC, the confusion matrix with precision and recall at each threshold from 0.05 to 0.95, and the calibration table (ten bins of predicted probability: leads, mean prediction, share that converted). 404 before any model is live.")
        .Produces<ApiModel>()
        .ProducesProblem(StatusCodes.Status404NotFound);

        predictive.MapGet("/models", async (ConversionModels models, CancellationToken cancellationToken) =>
            Results.Ok((await models.VersionsAsync(cancellationToken)).Select(ApiModel.Of).ToList()))
        .WithName("ListModels")
        .WithSummary("Every stored model version, newest first")
        .WithDescription("status is live (the one predicting), retired (replaced) or rejected (kept out by the 95 % AUC guard).")
        .Produces<IReadOnlyList<ApiModel>>();

        predictive.MapPost("/models/{version:int}/make-live", async (int version, HttpContext context, ConversionModels models, CancellationToken cancellationToken) =>
            Results.Ok(ApiModel.Of(await models.MakeLiveAsync(version, $"API key '{context.User.Identity?.Name}'", cancellationToken))))
        .WithName("MakeModelLive")
        .WithSummary("Make a stored model version live again (revert)")
        .WithDescription("Whatever its AUC; the live one retires and every open lead's conversionProbability is refreshed in the background. 404 for an unknown version, 409 when it is live already.")
        .Produces<ApiModel>()
        .ProducesProblem(StatusCodes.Status404NotFound)
        .ProducesProblem(StatusCodes.Status409Conflict);

        api.MapGet("/rule-insights", async (RuleInsights insights, CancellationToken cancellationToken) =>
            Results.Ok((await insights.ForRulesAsync(cancellationToken)).Select(ApiRuleInsight.Of).ToList()))
        .RequireAuthorization(ApiPolicies.Admin)
        .WithTags("Predictive")
        .WithName("GetRuleInsights")
        .WithSummary("Whether each rule of the published rule set earns its points")
        .WithDescription("Per rule: the closed leads it scored before they closed, their conversion rate against that of the closed leads it did not score, the lift (their ratio) and the 95 % Wilson interval of the rate (low, high). Rates are null where no lead is there to take them over. pointsPointTheWrongWay: the rule adds points though its leads convert less than the rest even at the interval's top (or takes points away though they convert more even at its bottom).")
        .Produces<IReadOnlyList<ApiRuleInsight>>();
    }
}
