using System.Text.Json.Nodes;

namespace BehaviorPoints.Tests.Web.Api.Fuzz;

/// <summary>The fuzz suite mutates every property and every array item of a valid body, not only properties.</summary>
public sealed class JsonPathToTests
{
    [Fact]
    public void Targets_include_each_array_item_and_what_it_holds()
    {
        var body = JsonNode.Parse("""{"events": [{"eventId": "e1", "attributes": {"tags": ["a", "b"]}}], "limit": 3}""");

        var targets = JsonPathTo.All(body).Select(t => t.ToString()).ToList();

        Assert.Equal(
            ["$.events", "$.events[0]", "$.events[0].eventId", "$.events[0].attributes", "$.events[0].attributes.tags",
             "$.events[0].attributes.tags[0]", "$.events[0].attributes.tags[1]", "$.limit"],
            targets);
    }

    [Fact]
    public void An_array_item_can_be_replaced_by_a_wrong_type()
    {
        var body = JsonNode.Parse("""{"origins": ["https://a.example", "https://b.example"]}""")!;

        var written = System.Text.Encoding.UTF8.GetString(Mutation.Write(body, new JsonPathTo(["origins", 1]), MutationKind.WrongType, ""));

        Assert.Equal("""{"origins":["https://a.example",7]}""", written);
    }
}
