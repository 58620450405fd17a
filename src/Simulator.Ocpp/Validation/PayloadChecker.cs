using Simulator.Ocpp.Framing;
using Simulator.Ocpp.Messages;

namespace Simulator.Ocpp.Validation;

/// <summary>
/// Checks the constraints a JSON type cannot carry (string lengths, numeric ranges, list sizes) and remembers the first
/// violation with the path of the field. Codes follow the OCA schemas as ocpp-rpc's strict validator maps them:
/// length, range, enum and format failures are FormatViolation (1.6: FormationViolation); multipleOf and item counts are
/// OccurrenceConstraintViolation.
/// </summary>
public sealed class PayloadChecker
{
    /// <summary>The fields entered so far; an index of -1 means the segment is not a list item. Text is built only on failure.</summary>
    private readonly List<(string Field, int Index)> _path = [];

    [ThreadStatic]
    private static PayloadChecker? t_cached;

    public PayloadViolation? Violation { get; private set; }

    public bool IsValid => Violation is null;

    /// <summary>Checks a payload; a valid one allocates nothing (the checker is reused per thread).</summary>
    public static PayloadViolation? Check(IOcppValidatable payload)
    {
        var checker = t_cached ?? new PayloadChecker();
        t_cached = null;
        try
        {
            payload.Validate(checker);
            return checker.Violation;
        }
        finally
        {
            checker.Violation = null;
            checker._path.Clear();
            t_cached = checker;
        }
    }

    public PayloadChecker MaxLength(string? value, int maxLength, string field)
    {
        if (value is not null && value.Length > maxLength && IsValid)
        {
            Fail(OcppErrorCode.FormatViolation, field, $"{value.Length} characters, at most {maxLength} allowed");
        }
        return this;
    }

    public PayloadChecker Required(object? value, string field)
    {
        if (value is null && IsValid)
        {
            Fail(OcppErrorCode.OccurrenceConstraintViolation, field, "is required");
        }
        return this;
    }

    public PayloadChecker AtLeast(long? value, long minimum, string field)
    {
        if (value is { } v && v < minimum && IsValid)
        {
            Fail(OcppErrorCode.FormatViolation, field, $"{v} is below the minimum {minimum}");
        }
        return this;
    }

    public PayloadChecker AtLeast(decimal? value, decimal minimum, string field)
    {
        if (value is { } v && v < minimum && IsValid)
        {
            Fail(OcppErrorCode.FormatViolation, field, $"{v} is below the minimum {minimum}");
        }
        return this;
    }

    public PayloadChecker AtMost(long? value, long maximum, string field)
    {
        if (value is { } v && v > maximum && IsValid)
        {
            Fail(OcppErrorCode.FormatViolation, field, $"{v} is above the maximum {maximum}");
        }
        return this;
    }

    public PayloadChecker MultipleOf(decimal? value, decimal step, string field)
    {
        if (value is { } v && v % step != 0 && IsValid)
        {
            Fail(OcppErrorCode.OccurrenceConstraintViolation, field, $"{v} is not a multiple of {step}");
        }
        return this;
    }

    public PayloadChecker MinItems<T>(IReadOnlyCollection<T>? items, int minimum, string field)
    {
        if (items is not null && items.Count < minimum && IsValid)
        {
            Fail(OcppErrorCode.OccurrenceConstraintViolation, field, $"{items.Count} items, at least {minimum} required");
        }
        return this;
    }

    public PayloadChecker MaxItems<T>(IReadOnlyCollection<T>? items, int maximum, string field)
    {
        if (items is not null && items.Count > maximum && IsValid)
        {
            Fail(OcppErrorCode.OccurrenceConstraintViolation, field, $"{items.Count} items, at most {maximum} allowed");
        }
        return this;
    }

    public PayloadChecker Nested(IOcppValidatable? child, string field)
    {
        if (child is null || !IsValid)
        {
            return this;
        }
        return Enter(child, field, -1);
    }

    private PayloadChecker Enter(IOcppValidatable child, string field, int index)
    {
        _path.Add((field, index));
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
            if (items[i] is { } item)
            {
                Enter(item, field, i);
            }
            else
            {
                Fail(OcppErrorCode.TypeConstraintViolation, $"{field}[{i}]", "must be an object, got null");
            }
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
            if (items[i] is not { } value)
            {
                Fail(OcppErrorCode.TypeConstraintViolation, $"{field}[{i}]", "must be a string, got null");
            }
            else if (value.Length > maxLength)
            {
                Fail(OcppErrorCode.FormatViolation, $"{field}[{i}]", $"{value.Length} characters, at most {maxLength} allowed");
            }
        }
        return this;
    }

    public void Fail(OcppErrorCode code, string field, string reason)
    {
        if (!IsValid)
        {
            return;
        }
        var path = new System.Text.StringBuilder();
        foreach (var (segment, index) in _path)
        {
            path.Append(segment);
            if (index >= 0)
            {
                path.Append('[').Append(index).Append(']');
            }
            path.Append('.');
        }
        Violation = new PayloadViolation(code, path.Append(field).ToString(), reason);
    }
}
