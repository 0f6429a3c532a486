// Every test here needs an S3+SQS endpoint (env, LocalStack or fauxqs), so the whole assembly is Integration: the fast
// loop (--filter "Category!=Integration") skips it, including a class that forgets its own [Trait].
[assembly: AssemblyTrait("Category", "Integration")]
