using Simulator.Ocpp.Framing;
using Simulator.Ocpp.Messages;

namespace Simulator.Ocpp.Validation;

/// <summary>
/// Checks the constraints a JSON type cannot carry (string lengths, numeric ranges, list sizes) and remembers the first
/// violation with the path of the field. Codes follow the OCA schemas as ocpp-rpc's strict validator maps them:
/// length, range, enum and format failures are FormationViolation; multipleOf and item counts are
/// OccurenceConstraintViolation.
/// </summary>
public sealed class PayloadChecker
{
    private readonly List<string> _path = [];

    public PayloadViolation? Violation { get; private set; }

    public bool IsValid => Violation is null;

    public static PayloadViolation? Check(IOcppValidatable payload)
    {
        var checker = new PayloadChecker();
        payload.Validate(checker);
        return checker.Violation;
    }

    public PayloadChecker MaxLength(string? value, int maxLength, string field)
    {
        if (value is not null && value.Length > maxLength && IsValid)
        {
            Fail(OcppErrorCode.FormationViolation, field, $"{value.Length} characters, at most {maxLength} allowed");
        }
        return this;
    }

    public PayloadChecker Required(object? value, string field)
    {
        if (value is null && IsValid)
        {
            Fail(OcppErrorCode.OccurenceConstraintViolation, field, "is required");
        }
        return this;
    }

    public PayloadChecker AtLeast(long? value, long minimum, string field)
    {
        if (value is { } v && v < minimum && IsValid)
        {
            Fail(OcppErrorCode.FormationViolation, field, $"{v} is below the minimum {minimum}");
        }
        return this;
    }

    public PayloadChecker AtLeast(decimal? value, decimal minimum, string field)
    {
        if (value is { } v && v < minimum && IsValid)
        {
            Fail(OcppErrorCode.FormationViolation, field, $"{v} is below the minimum {minimum}");
        }
        return this;
    }

    public PayloadChecker MultipleOf(decimal? value, decimal step, string field)
    {
        if (value is { } v && v % step != 0 && IsValid)
        {
            Fail(OcppErrorCode.OccurenceConstraintViolation, field, $"{v} is not a multiple of {step}");
        }
        return this;
    }

    public PayloadChecker MinItems<T>(IReadOnlyCollection<T>? items, int minimum, string field)
    {
        if (items is not null && items.Count < minimum && IsValid)
        {
            Fail(OcppErrorCode.OccurenceConstraintViolation, field, $"{items.Count} items, at least {minimum} required");
        }
        return this;
    }

    public PayloadChecker Nested(IOcppValidatable? child, string field)
    {
        if (child is null || !IsValid)
        {
            return this;
        }
        _path.Add(field);
        child.Validate(this);
        _path.RemoveAt(_path.Count - 1);
        return this;
    }

    public PayloadChecker Each<T>(IReadOnlyList<T>? items, string field) where T : IOcppValidatable
    {
        if (items is null)
        {
            return this;
        }
        for (var i = 0; i < items.Count && IsValid; i++)
        {
            Nested(items[i], $"{field}[{i}]");
        }
        return this;
    }

    public PayloadChecker EachMaxLength(IReadOnlyList<string>? items, int maxLength, string field)
    {
        if (items is null)
        {
            return this;
        }
        for (var i = 0; i < items.Count && IsValid; i++)
        {
            MaxLength(items[i], maxLength, $"{field}[{i}]");
        }
        return this;
    }

    public void Fail(OcppErrorCode code, string field, string reason)
    {
        if (!IsValid)
        {
            return;
        }
        var path = _path.Count == 0 ? field : $"{string.Join('.', _path)}.{field}";
        Violation = new PayloadViolation(code, path, reason);
    }
}
