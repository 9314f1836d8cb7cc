using System.Net;
using System.Text.RegularExpressions;

namespace BehaviorPoints.Tests.Support;

/// <summary>Signs in through the real sign-in form over HTTP, as a browser would, leaving the cookie in the client.</summary>
internal static partial class FormSignIn
{
    /// <summary>Reads the form's antiforgery token, posts the credentials and asserts the redirect that means success.</summary>
    public static async Task SignInAsync(HttpClient client, string email, string password)
    {
        var form = await client.GetStringAsync("/Account/Login");
        var token = Token().Match(form).Groups[1].Value;
        var handler = Handler().Match(form).Groups[1].Value;
        var response = await client.PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["_handler"] = handler,
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        }));
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"sign-in of {email} answered {(int)response.StatusCode}");
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex Token();

    [GeneratedRegex("name=\"_handler\" value=\"([^\"]+)\"")]
    private static partial Regex Handler();
}
