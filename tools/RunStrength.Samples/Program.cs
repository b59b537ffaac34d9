using RunStrength.Samples;

Console.Out.Write(TrainingDoc.Render());
