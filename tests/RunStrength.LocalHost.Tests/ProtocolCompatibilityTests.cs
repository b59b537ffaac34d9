using System.Reflection;
using Google.Protobuf.Reflection;
using RunStrength.LocalHost.Protocol;

namespace RunStrength.LocalHost.Tests;

/// <summary>
/// Our subset .proto must be wire-compatible with the protocol the worker was built with: every
/// message and field we declare exists there with the same number, type and name.
/// </summary>
public sealed class ProtocolCompatibilityTests
{
    private static readonly Assembly WorkerGrpc = Assembly.Load("Microsoft.Azure.Functions.Worker.Grpc");

    private static readonly FileDescriptor Worker = (FileDescriptor)WorkerGrpc
        .GetType("Microsoft.Azure.Functions.Worker.Grpc.Messages.FunctionRpcReflection", throwOnError: true)!
        .GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static)!
        .GetValue(null)!;

    private static readonly FileDescriptor Ours = FunctionRpcReflection.Descriptor;

    private static Dictionary<string, MessageDescriptor> Messages(FileDescriptor file) =>
        file.MessageTypes.Concat(file.Dependencies.SelectMany(d => d.MessageTypes))
            .SelectMany(m => m.NestedTypes.Prepend(m))
            .GroupBy(m => m.Name)
            .ToDictionary(g => g.Key, g => g.First());

    public static TheoryData<string> OurMessages() => new(Ours.MessageTypes.SelectMany(m => m.NestedTypes.Prepend(m)).Select(m => m.Name));

    [Fact]
    public void PackageAndServiceMatch()
    {
        Assert.Equal(Worker.Package, Ours.Package);
        var theirs = Assert.Single(Worker.Services);
        var ours = Assert.Single(Ours.Services);
        Assert.Equal(theirs.FullName, ours.FullName);
        var method = Assert.Single(ours.Methods);
        var reference = theirs.FindMethodByName(method.Name);
        Assert.NotNull(reference);
        Assert.Equal((reference.IsClientStreaming, reference.IsServerStreaming, reference.InputType.Name, reference.OutputType.Name),
            (method.IsClientStreaming, method.IsServerStreaming, method.InputType.Name, method.OutputType.Name));
    }

    [Theory]
    [MemberData(nameof(OurMessages))]
    public void EveryFieldMatchesTheWorkersNumberTypeAndName(string message)
    {
        var ours = Messages(Ours)[message];
        Assert.True(Messages(Worker).TryGetValue(message, out var theirs), $"{message} is not in the worker's protocol");

        foreach (var field in ours.Fields.InDeclarationOrder())
        {
            var reference = theirs!.FindFieldByNumber(field.FieldNumber);
            Assert.True(reference is not null, $"{message}.{field.Name} ({field.FieldNumber}) is not in the worker's protocol");
            Assert.Equal(reference.Name, field.Name);
            Assert.Equal(reference.FieldType, field.FieldType);
            Assert.Equal(reference.IsRepeated, field.IsRepeated);
            Assert.Equal(reference.IsMap, field.IsMap);
            if (field.FieldType == FieldType.Message)
            {
                Assert.Equal(reference.MessageType.Name, field.MessageType.Name);
            }

            if (field.FieldType == FieldType.Enum)
            {
                foreach (var value in field.EnumType.Values)
                {
                    Assert.Equal(reference.EnumType.FindValueByNumber(value.Number)?.Name, value.Name);
                }
            }

            Assert.Equal(reference.RealContainingOneof?.Name, field.RealContainingOneof?.Name);
        }
    }

    [Fact]
    public void MessagesRoundTripThroughTheWorkersTypes()
    {
        var ours = new StreamingMessage
        {
            RequestId = "r1",
            InvocationRequest = new InvocationRequest
            {
                InvocationId = "i1",
                FunctionId = "f1",
                InputData = { new ParameterBinding { Name = "req", Data = new TypedData { Http = new RpcHttp { Method = "GET", Url = "http://x/api/a?b=1", NullableQuery = { ["b"] = new NullableString { Value = "1" } } } } } },
                TriggerMetadata = { ["name"] = new TypedData { String = "alice" } },
                TraceContext = new RpcTraceContext { TraceParent = "00-abc-def-01" },
            },
        };
        var workerType = WorkerGrpc.GetType("Microsoft.Azure.Functions.Worker.Grpc.Messages.StreamingMessage", throwOnError: true)!;
        var parser = (Google.Protobuf.MessageParser)workerType.GetProperty("Parser", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;

        var theirs = parser.ParseFrom(Google.Protobuf.MessageExtensions.ToByteArray(ours));
        var back = StreamingMessage.Parser.ParseFrom(Google.Protobuf.MessageExtensions.ToByteArray(theirs));

        Assert.Equal(ours, back);
        Assert.Contains("alice", theirs.ToString(), StringComparison.Ordinal);
    }
}
