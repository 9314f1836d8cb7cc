using BehaviorPoints.Core.Domain;

namespace BehaviorPoints.Core.Leads;

/// <summary>Checks a lead's input and returns every problem with its field.</summary>
public static class LeadValidator
{
    public static IReadOnlyList<FieldError> Validate(LeadInput input)
    {
        var errors = new List<FieldError>();
        var name = input.Name?.Trim() ?? "";
        if (name.Length == 0)
        {
            errors.Add(FieldError.Of("name", "Name is required."));
        }
        Check(errors, "name", input.Name, 200);
        Check(errors, "company", input.Company, 200);
        Check(errors, "email", input.Email, 320);
        Check(errors, "phone", input.Phone, 40);
        Check(errors, "externalId", input.ExternalId, 128);
        Check(errors, "ownerEmail", input.OwnerEmail, 320);
        Check(errors, "team", input.Team, 100);
        Check(errors, "industry", input.Industry, 100);
        Check(errors, "companySize", input.CompanySize, 100);
        Check(errors, "jobTitle", input.JobTitle, 100);
        Check(errors, "region", input.Region, 100);

        if (!string.IsNullOrWhiteSpace(input.Email) && !LooksLikeEmail(input.Email.Trim()))
        {
            errors.Add(FieldError.Of("email", "'{0}' is not an email address.", input.Email.Trim()));
        }
        if (!string.IsNullOrWhiteSpace(input.Phone) && ContactIdentity.NormalizePhone(input.Phone) is null)
        {
            errors.Add(FieldError.Of("phone", "A phone number needs digits."));
        }
        if (!Enum.IsDefined(input.Status))
        {
            errors.Add(FieldError.Of("status", "Status must be open, qualified, converted or lost."));
        }
        return errors;
    }

    public static void ThrowIfInvalid(LeadInput input)
    {
        var errors = Validate(input);
        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }
    }

    internal static LeadFields Fields(LeadInput input) => new()
    {
        Name = input.Name,
        Company = input.Company,
        Email = input.Email,
        Phone = input.Phone,
        ExternalId = input.ExternalId,
        Status = input.Status,
        Industry = input.Industry,
        CompanySize = input.CompanySize,
        JobTitle = input.JobTitle,
        Region = input.Region,
    };

    private static void Check(List<FieldError> errors, string field, string? value, int maxLength)
    {
        if (value is null)
        {
            return;
        }
        if (value.Trim().Length > maxLength)
        {
            errors.Add(FieldError.Of(field, "{0} is {1} characters long; the limit is {2}.", LabelOf(field), value.Trim().Length, maxLength));
        }
        else if (UserText.HasControlCharacters(value))
        {
            errors.Add(FieldError.Of(field, "{0} must not contain control characters.", LabelOf(field)));
        }
    }

    // Messages name a field the way the lead form labels it (in the reader's language); the error's Field stays the API's name.
    private static Said LabelOf(string field) => field switch
    {
        "externalId" => Said.Of("External id"),
        "ownerEmail" => Said.Of("Owner's email"),
        "companySize" => Said.Of("Company size"),
        "jobTitle" => Said.Of("Job title"),
        _ => Said.Of(char.ToUpperInvariant(field[0]) + field[1..]),
    };

    private static bool LooksLikeEmail(string email)
    {
        var at = email.IndexOf('@');
        return at > 0 && at == email.LastIndexOf('@') && at < email.Length - 1 && !email.Any(char.IsWhiteSpace);
    }
}
