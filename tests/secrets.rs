//! No output format ever prints a secret, whatever rule fires on it and however broken the
//! document around it is.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail loudly"
)]

use std::process::Command;

const SECRET: &str = "Zq9-DISTINCTIVE-s3cr3t-Xy7";
const FORMATS: &[&str] = &[
    "human", "concise", "json", "sarif", "github", "junit", "gitlab", "rdjson", "azure",
];

/// The start of a Hub file, up to its `env` entries.
const HUB: &str = "{\"title\": \"W\", \"description\": \"d\", \"type\": \"serverless\", \"category\": \"language\", \"config\": {\"runsOn\": \"GPU\", \"containerDiskInGb\": 20, \"gpuIds\": \"ADA_24\", \"gpuCount\": 1, \"env\": [";

fn documents() -> Vec<(&'static str, String)> {
    let s3 = |secret: &str| {
        format!(
            "\"s3Config\": {{\"accessId\": \"id\", \"accessSecret\": {secret}, \"bucketName\": \"outputs\", \"endpointUrl\": \"https://s3.example.com\"}}"
        )
    };
    vec![
        (
            "literal.json",
            format!(
                "{{\n  \"input\": {{}},\n  {}\n}}\n",
                s3(&format!("\"{SECRET}\""))
            ),
        ),
        (
            "duplicate-secret.json",
            format!(
                "{{\n  \"input\": {{}},\n  \"s3Config\": {{\"accessSecret\": \"{SECRET}\", \"accessSecret\": \"other-{SECRET}\", \"accessId\": \"\"}}\n}}\n"
            ),
        ),
        (
            "syntax-error-next-to-it.json",
            format!(
                "{{\n  \"input\": {{}},\n  {},\n}}\n",
                s3(&format!("\"{SECRET}\""))
            ),
        ),
        (
            "webhook-password.json",
            format!(
                "{{\"input\": {{}}, \"webhook\": \" https://user:{SECRET}@hooks.example.com/x\"}}"
            ),
        ),
        (
            "escaped.json",
            format!(
                "{{\"input\": {{}}, {}}}",
                s3(&format!("\"{}\\u0041\"", SECRET))
            ),
        ),
        (
            "minified-long.json",
            format!(
                "{{\"input\":{{\"pad\":\"{}\"}},{}}}",
                "x".repeat(5000),
                s3(&format!("\"{SECRET}\""))
            ),
        ),
        (
            "number.json",
            format!("{{\"input\": {{}}, {}}}", s3("987654321987654321")),
        ),
        // A secret of another type: the help quoting the items must not show it.
        (
            "array.json",
            format!("{{\"input\": {{}}, {}}}", s3(&format!("[\"{SECRET}\"]"))),
        ),
        (
            "token-as-user.json",
            format!("{{\"input\": {{}}, \"webhook\": \"https://{SECRET}@hooks.example.com/x\"}}"),
        ),
        (
            "no-scheme.json",
            format!("{{\"input\": {{}}, \"webhook\": \"user:{SECRET}@hooks.example.com/x\"}}"),
        ),
        (
            "repeated-in-fragment.json",
            format!(
                "{{\"input\": {{}}, \"webhook\": \"https://u:{SECRET}@hooks.example.com/x#t={SECRET}\"}}"
            ),
        ),
        (
            "misspelt-key.json",
            format!("{{\"input\": {{}}, \"s3Config\": {{\"accesSecret\": \"{SECRET}\"}}}}"),
        ),
        (
            "other-secret-key.json",
            format!("{{\"input\": {{}}, \"s3Config\": {{\"secretAccessKey\": \"{SECRET}\"}}}}"),
        ),
        (
            ".runpod/hub.json",
            format!(
                "{{\"title\": \"x\", \"config\": {{\"env\": [{{\"key\": \"AWS_SECRET\", \"value\": \"{SECRET}\"}}]}}}}"
            ),
        ),
        // Key spellings that only the meaning of the key catches: a near miss, a key with a
        // Unicode letter that folds to ASCII (the Kelvin sign), HTTP's credential headers.
        (
            "near-miss.json",
            format!("{{\"input\": {{\"paasword\": \"{SECRET}\"}}, \"zzz\": 1}}\n"),
        ),
        (
            "kelvin.json",
            format!("{{\"input\": {{\"api\u{212a}ey\": \"{SECRET}\"}}, \"zzz\": 1}}\n"),
        ),
        (
            "headers.json",
            format!(
                "{{\"input\": {{\"headers\": {{\"Proxy-Authorization\": \"Basic {SECRET}\", \"authKey\": \"k{SECRET}\", \"passcode\": \"p{SECRET}\"}}}}, \"zzz\": 1}}\n"
            ),
        ),
        // A URL that carries a credential as a query parameter; a key with a colon in a
        // document that does not parse.
        (
            "query.json",
            format!(
                "{{\"input\": {{}}, \"webhook\": \"https://localhost/hook?password={SECRET}&x=1\", \"zzz\": 1}}\n"
            ),
        ),
        (
            "colon-key.json",
            format!("{{\"input\": {{\"api:key\": \"{SECRET}\" oops}}}}\n"),
        ),
        // More secrets than any fixed number: the last one still masked in messages.
        (
            "many-secrets.json",
            format!(
                "{{\"input\": {{{}}},\n\"webhook\": \" https://u:{SECRET}@example.com/h\"}}\n",
                (0..1001)
                    .map(|i| format!("\"password{i}\": \"{i:012}x\""))
                    .collect::<Vec<_>>()
                    .join(",")
            ),
        ),
        // A secret array longer than any fixed number of leaves, the secret first.
        (
            "long-array.json",
            format!(
                "{{\"zzz\": 1,\n\"input\": {{\"password\": [\"{SECRET}\",\n{}]}}}}\n",
                vec!["\"xxxx\""; 1000].join(",")
            ),
        ),
        // Broken documents: a comment between the key and its value on the next line, a
        // bracketed value longer than any fixed window.
        (
            "comment-between.json",
            format!(
                "{{\"input\": {{\"password\": // from the vault\n\"{SECRET}\"}},\n\"zzz\": 1,,}}\n"
            ),
        ),
        (
            "block-comment-between.json",
            format!(
                "{{\"input\": {{\"password\": /* from\n the vault */\n\"{SECRET}\"}},\n\"zzz\": 1,,}}\n"
            ),
        ),
        (
            "long-bracket.json",
            format!(
                "{{\"input\": {{\"password\": [\"{}\",\n\"{SECRET}\"]}},,\n\"zzz\": 1}}\n",
                "a".repeat(70_000)
            ),
        ),
        // Hub env entries: a secret's name hidden by a repeated `key`, a boolean input's
        // values, an option past the thousandth.
        (
            "h1/.runpod/hub.json",
            format!(
                "{HUB}\n{{\"key\": \"HF_TOKEN\", \"key\": \"MODEL\", \"value\": \"{SECRET}\"}}\n]}}}}\n"
            ),
        ),
        (
            "h2/.runpod/hub.json",
            format!(
                "{HUB}\n{{\"key\": \"HF_TOKEN\", \"input\": {{\"name\": \"T\", \"type\": \"boolean\", \"default\": true, \"trueValue\": \"{SECRET}\", \"falseValue\": \"\", \"zzz\": 1}}}}\n]}}}}\n"
            ),
        ),
        (
            "h3/.runpod/hub.json",
            format!(
                "{HUB}{{\"key\": \"HF_TOKEN\", \"input\": {{\"name\": \"T\", \"type\": \"string\", \"options\": [{},\n{{\"label\": \"real\", \"value\": \"{SECRET}\", \"zzz\": 1}}]}}}}]}}}}\n",
                (0..1000)
                    .map(|i| format!("{{\"label\": \"o{i}\", \"value\": \"xxxx\"}}"))
                    .collect::<Vec<_>>()
                    .join(",")
            ),
        ),
        // The values a repeated key hides: parsers drop them, frames still show them.
        (
            "hidden-object.json",
            format!("{{\"input\": {{\"password\": \"{SECRET}\"}},\n \"input\": {{\"x\": 1}}}}\n"),
        ),
        (
            "hidden-batch.json",
            format!("[{{\"input\": {{\"apiKey\": \"{SECRET}\"}}, \"input\": {{}}}}]\n"),
        ),
        (
            "hidden-url.json",
            format!(
                "{{\"input\": {{\"x\": 1}}, \"webhook\": \"u:{SECRET}@h.example\",\n \"webhook\": \"https://h.example\"}}\n"
            ),
        ),
        // URLs that carry a token: without a scheme, as a key, in a sentence, in a fragment.
        (
            "url-forms.json",
            format!(
                "{{\"input\": {{\"a\": \"example.com/cb?token=a{SECRET}\", \"https://h.example/x?token=b{SECRET}\": 1, \"c\": \"see https://h.example/x?token=c{SECRET} now\", \"d\": \"http://example.com/cb#access_token=d{SECRET}\"}}, \"webhook\": \"example.com/cb?token=e{SECRET}\"}}\n"
            ),
        ),
        // Credential headers as a string and as a name and value pair; a fullwidth key.
        (
            "header-forms.json",
            format!(
                "{{\"input\": {{\"x\": 1}}, \"headers\": [\"Authorization: Bearer {SECRET}\", [\"X-Api-Key\", \"k{SECRET}\"]], \"\u{ff50}\u{ff41}\u{ff53}\u{ff53}\u{ff57}\u{ff4f}\u{ff52}\u{ff44}\": \"f{SECRET}\"}}\n"
            ),
        ),
        // Broken documents: a long key, keys with `/` or `!`, a value far after its key.
        (
            "broken-keys.json",
            format!(
                "{{\"input\": {{\"primarydatabaseconnectionstringforthereplicaclusterpasswordvalue\": \"a{SECRET}\" \"x\": 1,\n\"api\\/key\": \"b{SECRET}\" \"x\": 1,\n\"api/key\": \"c{SECRET}\" \"x\": 1,\n\"apiKey!\":\n\"d{SECRET}\" \"x\": 1}}}}\n"
            ),
        ),
        (
            "far-value.json",
            format!(
                "{{\"input\": {{\"password\":{}\n\"{SECRET}\" \"x\": 1,\n\"token\"{}:\"t{SECRET}\" \"x\": 1}}}}\n",
                " ".repeat(5000),
                "\n".repeat(5000)
            ),
        ),
        // Code: a value on the line after its key; curl's cookie, certificate and key
        // passphrase options; Python's cookies.
        (
            "next-line.py",
            format!(
                "import requests\nU = \"https://api.runpod.ai/v2/x/run\"\nh = {{\"Authorization\":\n  \"a{SECRET}\"}}\npassword = \\\n  \"b{SECRET}\"\nrequests.post(U, cookies={{\"sid\": \"c{SECRET}\"}}, json={{\"webhok\": 1}})\n"
            ),
        ),
        (
            "next-line.js",
            format!(
                "const U = \"https://api.runpod.ai/v2/x/run\";\nconst h = {{Authorization:\n  \"{SECRET}\"}}; fetch(U, {{body: JSON.stringify({{webhok: 1}})}});\n"
            ),
        ),
        // A comment between a key and its value on the next line, in code (from the fuzzer).
        (
            "comment-next-line.js",
            format!(
                "await fetch('https://api.runpod.ai/v2/e/run', {{method: 'POST', body: JSON.stringify(\n[,\"api\\u212aey\": /* from the vault */\n\"{SECRET}\")}});\n"
            ),
        ),
        // A misspelt key with no value first on a line, the real key after it (from the
        // fuzzer).
        (
            "near-miss-first.json",
            format!("apiky\u{2036}}}\"authKey\": /* from the vault */\n\"{SECRET}\"\n"),
        ),
        // Credential names by their words, misspelt, in look-alike letters, in other
        // languages; a Hub entry so named whose default a message quotes.
        (
            "names.json",
            format!(
                "{{\"input\": {{\"DB_PASS\": \"a{SECRET}\", \"api_key_prod\": \"b{SECRET}\",\n\"Ocp-Apim-Subscription-Key\": \"c{SECRET}\", \"client_secert\": \"d{SECRET}\",\n\"t\u{43e}ken\": \"e{SECRET}\", \"kennwort\": \"f{SECRET}\", \"token1\": \"g{SECRET}\"}}, \"webhok\": 1}}\n"
            ),
        ),
        (
            "h4/.runpod/hub.json",
            format!(
                "{HUB}{{\"key\": \"DB_PASS\", \"input\": {{\"name\": \"Database pass\", \"type\": \"string\", \"options\": [{{\"label\": \"none\", \"value\": \"none\"}}], \"default\": \"{SECRET}\"}}}}]}}}}\n"
            ),
        ),
        // Python Basic auth over two lines or by position; URL parameters under other
        // credential names; literal fallbacks of environment lookups; an escaped RunPod key.
        (
            "basic-auth.py",
            format!(
                "import requests\nr = requests.post(\"https://api.runpod.ai/v2/abc/run\", auth=(\n    \"admin\", \"a{SECRET}\"), json={{\"input\": {{}}, \"webhok\": 1}})\nr = requests.post(\"https://api.runpod.ai/v2/abc/run\", json={{\"input\": {{}}, \"webhok\": 1}}, x=HTTPBasicAuth(\"admin\", \"b{SECRET}\"))\n"
            ),
        ),
        (
            "parameters.json",
            format!(
                "{{\"input\": {{\"a\": \"https://h.example/x?sig=a{SECRET}\", \"b\": \"https://s3.example.com/o?X-Amz-Signature=b{SECRET}\", \"c\": \"https://maps.example.com/?key=c{SECRET}\"}}, \"webhook\": \"ftp://hooks.example.com/x?sig=d{SECRET}\"}}\n"
            ),
        ),
        (
            "fallback.py",
            format!(
                "import os, requests\nr = requests.post(\"https://api.runpod.ai/v2/abc/run\", json={{\"input\": {{}}, \"webhok\": 1}}); pwd = os.getenv(\"X\", \"a{SECRET}\")\n"
            ),
        ),
        (
            "fallback.js",
            format!(
                "const body = {{\"input\": {{}}, \"webhok\": 1}}; const pwd = process.env.X || \"b{SECRET}\";\nfetch(\"https://api.runpod.ai/v2/abc/run\", {{method: \"POST\", body: JSON.stringify(body)}});\n"
            ),
        ),
        (
            "fallback.sh",
            format!(
                "curl https://api.runpod.ai/v2/abc/run --json '{{\"input\": {{}}, \"webhok\": 1}}'; TOKEN=${{T:-c{SECRET}}}\n"
            ),
        ),
        (
            "escaped-key.json",
            "{\"input\": {\"note\": \"\\u0072pa_ZQ9DISTINCTIVES3CR3T\", \"other\": \"rpa\\u005fZQ9DISTINCTIVES3CR3T\"}, \"webhok\": 1}\n".to_owned(),
        ),
        (
            "curl-more.sh",
            format!(
                "curl https://api.runpod.ai/v2/abc/run -d '{{\"webhok\": 1}}' -U admin:a{SECRET}\ncurl https://api.runpod.ai/v2/abc/run -d '{{\"webhok\": 1}}' --tlspassword b{SECRET}\n"
            ),
        ),
        // A key inside another's value, its own value on the next line (from the fuzzer).
        (
            "key-in-value.json",
            format!("p'in{{tun\":\"\"token:\"AccessSecret\": /* from the vault */\n\"{SECRET}\"\n"),
        ),
        // A key on a line already masked from an earlier credential, its value on the next
        // line (from the fuzzer).
        (
            "header-then-key.sh",
            format!(
                "curl https://api.runpod.ai/v2/e/run -H 'Authorization: Bearer abcdefgh' -d '{{\"access_secret\": /* from the vault */\n\"{SECRET}\", \"webhok\": 1}}'\n"
            ),
        ),
        // Keys inside a secret's value (a map of tokens to scopes), repeated: the message
        // names the key.
        (
            "secret-keys.json",
            format!(
                "{{\"input\": {{\"tokens\": {{\"{SECRET}\": \"read\", \"{SECRET}\": \"write\"}}, \"api_key\": {{\"k{SECRET}\": {{\"a\": 1, \"a\": 2}}}}}}}}\n"
            ),
        ),
        // A bucket name carrying a credential: no suggestion spells it out lowercased.
        (
            "bucket.json",
            format!(
                "{{\"input\": {{}}, \"s3Config\": {{\"accessId\": \"i\", \"accessSecret\": \"${{S}}\", \"bucketName\": \"admin:{SECRET}@b\", \"endpointUrl\": \"https://s3.example.com\"}}}}\n"
            ),
        ),
        // More credential names: a vendor's key, a single-word access key, a personal access
        // token, a session id, the word in other scripts, a wallet's seed phrase.
        (
            "more-names.json",
            format!(
                "{{\"input\": {{\"OPENAI_KEY\": \"a{SECRET}\", \"HF_KEY\": \"b{SECRET}\", \"accesskey\": \"c{SECRET}\",\n\"GITHUB_PAT\": \"d{SECRET}\", \"sessionid\": \"e{SECRET}\", \"\u{43f}\u{430}\u{440}\u{43e}\u{43b}\u{44c}\": \"f{SECRET}\",\n\"\u{5bc6}\u{7801}\": \"g{SECRET}\", \"salasana\": \"h{SECRET}\", \"seed_phrase\": \"i{SECRET}\", \"mdp\": \"j{SECRET}\"}}, \"webhok\": 1}}\n"
            ),
        ),
        // Credentials known by their form, under names that say nothing of them: a model
        // hub's, a provider's or a cloud's key in `input`, one where a rule quotes the value,
        // a JSON Web Token, a private key; in a document that parses, one that does not,
        // Markdown and Python.
        (
            "formed.json",
            format!(
                "{{\"input\": {{}},\n\"policy\": {{\"model\": \"hf_0000{SECRET}\",\n\"a\": \"sk-proj-1{SECRET}\",\n\"b\": \"r8_000000{SECRET}\",\n\"c\": \"ghp_000000{SECRET}\",\n\"d\": \"AKIADISTINCTIVE12345\",\n\"e\": \"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOjF9.{SECRET}\",\n\"f\": \"-----BEGIN PRIVATE KEY-----\\n{SECRET}\\n-----END PRIVATE KEY-----\\n\"}},\n\"webhook\": \"sk-ant-0{SECRET}\", \"webhok\": 1}}\n"
            ),
        ),
        (
            "formed-broken.json",
            format!(
                "{{\"input\": {{\"model\": \"hf_0000{SECRET}\", \"x\": \"xoxb-1{SECRET}\",, \"y\": \"glpat-0{SECRET}\"\n"
            ),
        ),
        (
            "formed.md",
            format!(
                "Run it:\n\n```json\n{{\"input\": {{\"repo\": \"hf_0000{SECRET}\"}}, \"webhok\": 1}}\n```\n\nwith `sk-1234{SECRET}` set.\n"
            ),
        ),
        (
            "formed.py",
            format!(
                "import requests\nKEY = \"r8_000000{SECRET}\"\nrequests.post(\"https://api.runpod.ai/v2/x/run\", json={{\"input\": {{\"m\": \"hf_0000{SECRET}\"}}, \"webhok\": 1}})\n"
            ),
        ),
        // Broken text a syntax error quotes: a secret key with no `:`, its value a bare word on
        // the next line (after a comment too); a bare value longer than 1 KiB, which messages
        // quote shortened.
        (
            "no-colon.json",
            format!("{{\"input\": {{\"password\"\n  {SECRET}}}, \"b\": {{\"token\" /* c */\n  x{SECRET}}}}}\n"),
        ),
        (
            "long-bare-value.json",
            format!("{{\"input\": {{\"password\": {}}}}}\n", SECRET.repeat(80)),
        ),
        // Credentials written inside strings: a block of headers, an environment list, a
        // connection string, a flag, a curl command; and code that falls back to a literal or
        // hands the SDK its key.
        (
            "in-strings.json",
            format!(
                "{{\"input\": {{}}, \"prompt\": \"x\",\n\"headers\": \"Accept: */*\\nAuthorization: Bearer a{SECRET}\",\n\"env\": [\"HF_TOKEN=b{SECRET}\"],\n\"db\": \"Server=db;Password=c{SECRET};\",\n\"args\": \"--api-key=d{SECRET}\",\n\"cmd\": \"curl -H 'X-Api-Key: e{SECRET}' https://x\"}}\n"
            ),
        ),
        (
            "fallback.py",
            format!(
                "import os, requests\nkey = os.environ.get(\"RUNPOD_API_KEY\") or \"{SECRET}\"\nrequests.post(\"https://api.runpod.ai/v2/e/run\", json={{\"prompt\": \"x\", \"input\": {{}}}})\n"
            ),
        ),
        (
            "fallback.js",
            format!(
                "const key = process.env.RUNPOD_API_KEY || \"{SECRET}\";\nawait fetch(\"https://api.runpod.ai/v2/e/run\", {{method: \"POST\", body: JSON.stringify({{prompt: \"x\", input: {{}}}})}});\n"
            ),
        ),
        (
            "sdk.js",
            format!(
                "const runpod = runpodSdk(\"{SECRET}\");\nawait fetch(\"https://api.runpod.ai/v2/e/run\", {{method: \"POST\", body: JSON.stringify({{prompt: \"x\", input: {{}}}})}});\n"
            ),
        ),
        // Names that carry a credential: saved from a presigned URL, a directory named with a
        // RunPod key.
        (
            "x?X-Amz-Signature=Zq9-DISTINCTIVE-s3cr3t-Xy7.json",
            "{\"input\": {}, \"webhok\": 1}\n".to_owned(),
        ),
        (
            "rpa_ZQ9DISTINCTIVES3CR3TXY7/r.json",
            "{\"input\": {}, \"webhok\": 1}\n".to_owned(),
        ),
        (
            "curl-options.sh",
            format!(
                "curl https://api.runpod.ai/v2/x/run -d '{{\"webhok\":1}}' -b sid=a{SECRET}\ncurl https://api.runpod.ai/v2/x/run -d '{{\"webhok\":1}}' -E c.pem:b{SECRET}\ncurl https://api.runpod.ai/v2/x/run -d '{{\"webhok\":1}}' --pass c{SECRET}\n"
            ),
        ),
        // A directory named with a credential.
        (
            "admin:Zq9-DISTINCTIVE-s3cr3t-Xy7@db.example.com/request.json",
            "{\"input\": {}, \"webhok\": 1}\n".to_owned(),
        ),
        // A file named after the secret it holds, and one named like a URL with a password.
        (
            "Zq9-DISTINCTIVE-s3cr3t-Xy7.json",
            format!("{{\"input\": {{}}, {}}}", s3(&format!("\"{SECRET}\""))),
        ),
        (
            "user:Zq9-DISTINCTIVE-s3cr3t-Xy7@host.json",
            "{\"input\": {}, \"k\": 1}".to_owned(),
        ),
        // Hosts: a body in a fence, in a curl command, in Python; a header's token.
        (
            "README.md",
            format!(
                "```json\n{{\"input\": {{}}, \"policy\": {{\"ttl\": 1}},\n {}}}\n```\n",
                s3(&format!("\"{SECRET}\""))
            ),
        ),
        (
            "call.sh",
            format!(
                "curl -x POST https://api.runpod.ai/v2/e/run -H 'Authorization: Bearer {SECRET}' \\\n  -d \"{{\\\"input\\\": {{}}, \\\"webhook\\\": \\\"https://u:{SECRET}@h.example.com/\\\"}}\"\n"
            ),
        ),
        // From the fuzzer: the body is empty (`-d ''`) and the secret is in shell text that no
        // body holds, after a quoted text that names a secret key.
        (
            "mangled.sh",
            format!(
                "curl https://api.runpod.ai/v2/e/run -H 'Authorization: Bearer {SECRET}' -d ''`{{'\"access_secret\": \"{SECRET}\"'\n"
            ),
        ),
        // Credentials code writes outside any body (from the review of hosts).
        (
            "keys.py",
            format!(
                "import runpod, requests\nrunpod.api_key = \"rpa_Zq9DISTINCTIVEs3cr3tXy7\"\nrequests.post(\"https://api.runpod.ai/v2/x/run\", headers={{\"Authorization\": \"Bearer {SECRET}\"}}, auth=(\"bob\", \"{SECRET}\"), json={{\"input\": {{}}, \"policy\": {{\"ttl\": 5}}}})\n"
            ),
        ),
        (
            "keys.js",
            format!(
                "const runpod = runpodSdk(\"rpa_Zq9DISTINCTIVEs3cr3tXy7\");\nconst ep = runpod.endpoint(\"x\");\nawait ep.run({{input: {{}}, policy: {{ttl: 5}}}}, {{headers: {{Authorization: \"Bearer {SECRET}\"}}}});\n"
            ),
        ),
        (
            "keys.sh",
            format!(
                "export RUNPOD_API_KEY={SECRET}\ncurl -d '{{\"input\": {{}}, \"policy\": {{\"ttl\": 5}}}}' -H \"Content-Type: application/json\" https://api.runpod.ai/v2/x/run\n"
            ),
        ),
        (
            "client.py",
            format!(
                "import runpod\nep = runpod.Endpoint('e')\nep.run({{'prompt': 'x', 'policy': {{'ttl': 1}}, 's3Config': {{'accessSecret': '{SECRET}'}}}})\n"
            ),
        ),
        // From the review of the masking by meaning: keys that mean a credential without the
        // usual spelling, a misspelt `accessSecret`, values that look like placeholders.
        (
            "misspelt.json",
            format!(
                "{{\"input\": {{}}, \"s3Config\": {{\"accessId\": \"a\", \"accessSecert\": \"{SECRET}\", \"bucketName\": \"b\", \"endpointUrl\": \"https://s3.example.com\"}}}}\n"
            ),
        ),
        (
            "other-keys.json",
            format!(
                "{{\"input\": {{}}, \"bogus\": 1, \"headers\": {{\"Authorization\": \"Bearer {SECRET}\"}}, \"private_key\": \"a{SECRET}\", \"passphrase\": \"b{SECRET}\", \"credentials\": [\"c{SECRET}\"], \"db:password\": \"d{SECRET}\", \"access\\u200bSecret\": \"e{SECRET}\"}}\n"
            ),
        ),
        (
            "caps.json",
            "{\"input\": {}, \"bogus\": 1, \"s3Config\": {\"accessId\": \"a\", \"accessSecret\": \"ZQ9DISTINCTIVES3CR3TXY7\", \"bucketName\": \"bbb\", \"endpointUrl\": \"https://s3.example.com\"}, \"password\": \"$Zq9DISTINCTIVEs3cr3tXy7\"}\n".to_owned(),
        ),
        // Broken documents whose value is on a later line, or is an array over two lines.
        (
            "later-line.json",
            format!("{{\"input\": {{}}, \"password\":\n\n \"{SECRET}\" oops}}\n"),
        ),
        (
            "colon-later.json",
            format!("{{\"input\": {{}}, \"hf_token\"\n: \"{SECRET}\" oops}}\n"),
        ),
        (
            "array-two-lines.json",
            format!(
                "{{\"input\": {{}}, \"s3Config\": {{\"accessSecret\": [\"{SECRET}\",\n \"x{SECRET}\"] oops}}\n"
            ),
        ),
        // A copy written with escapes elsewhere in the document.
        (
            "escaped-copy.json",
            format!(
                "{{\"input\": {{\"note\": \"Zq9-DIST\\u0049NCTIVE-s3cr3t-Xy7\"}}, \"bogus\": 1,\n \"s3Config\": {{\"accessId\": \"a\", \"accessSecret\": \"{SECRET}\", \"bucketName\": \"bbb\", \"endpointUrl\": \"https://s3.example.com\"}}}}\n"
            ),
        ),
        // A Hub input's default and option values under a secret's name.
        (
            "w/.runpod/hub.json",
            format!(
                "{{\"title\": \"t\", \"description\": \"d\", \"type\": \"serverless\", \"category\": \"image\", \"config\": {{\"runsOn\": \"GPU\", \"containerDiskInGb\": 20, \"gpuIds\": \"ADA_24\", \"gpuCount\": 1, \"bogus\": 1, \"env\": [{{\"key\": \"HF_TOKEN\", \"input\": {{\"name\": \"Token\", \"type\": \"string\", \"default\": \"{SECRET}\"}}}}, {{\"key\": \"DB_PASSWORD\", \"input\": {{\"name\": \"P\", \"type\": \"string\", \"options\": [{{\"label\": \"a\", \"value\": \"o{SECRET}\"}}]}}}}]}}}}\n"
            ),
        ),
        // Credentials code writes by subscript and call, a shell's capitals, curl's headers.
        (
            "subscript.py",
            format!(
                "import os, requests\nheaders[\"Authorization\"] = \"Bearer {SECRET}\"\nos.environ.setdefault(\"HF_TOKEN\", \"h{SECRET}\")\nrequests.post(\"https://api.runpod.ai/v2/abc/run\", json={{\"input\": {{}}, \"bogus\": 1}})\n"
            ),
        ),
        (
            "caps.sh",
            "export RUNPOD_API_KEY=ZQ9DISTINCTIVES3CR3TXY7\ncurl https://api.runpod.ai/v2/abc/run -H 'Content-Type: application/json' -d '{\"input\": {}, \"bogus\": 1}'\n".to_owned(),
        ),
        (
            "headers.sh",
            format!(
                "curl -X POST https://api.runpod.ai/v2/abc/runsync -H 'X-Auth: {SECRET}' -H \"Cookie: session=c{SECRET}\" -H 'Content-Type: application/json' -d '{{\"input\": {{}}, \"bogus\": 1}}'\n"
            ),
        ),
        // A file named after the secret it holds (the name is in every report, the diff's
        // header and `--show-files`).
        (
            "Zq9-DISTINCTIVE-s3cr3t-Xy7.json",
            format!(
                "{{\"input\": {{}}, \"prompt\": 1, \"s3Config\": {{\"accessId\": \"a\", \"accessSecret\": \"{SECRET}\", \"bucketName\": \"bbb\", \"endpointUrl\": \"https://s3.example.com\"}}}}\n"
            ),
        ),
    ]
}

/// A request in UTF-16 (as PowerShell writes files), holding the secret.
fn utf16_document() -> Vec<u8> {
    let text = format!(
        "{{\"input\": {{}}, \"s3Config\": {{\"accessId\": \"a\", \"accessSecret\": \"{SECRET}\", \"bucketName\": \"bbb\", \"endpointUrl\": \"https://s3.example.com\"}}}}"
    );
    let mut bytes = vec![0xff, 0xfe];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    bytes
}

#[test]
fn secrets_never_reach_any_output() {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in documents() {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    std::fs::write(dir.path().join("utf16.json"), utf16_document()).unwrap();
    // A file that cannot be read, named with a credential: the error names it.
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        "/nonexistent",
        dir.path().join(format!("v:{SECRET}@h.json")),
    )
    .unwrap();
    for (format, extra) in FORMATS
        .iter()
        .map(|f| (*f, &[][..]))
        .chain([("human", &["--diff", "--unsafe-fixes"][..])])
    {
        let summary = dir.path().join("summary.md");
        let output = Command::new(env!("CARGO_BIN_EXE_rplint"))
            .args(["check", "--show-files", "--format", format])
            .args(extra)
            .arg(dir.path())
            .env("COLUMNS", "100")
            .env("GITHUB_STEP_SUMMARY", &summary)
            .output()
            .unwrap();
        let summary = std::fs::read_to_string(&summary).unwrap_or_default();
        for needle in [SECRET, "987654321987654321", "DISTINCTIVE"] {
            assert!(
                !summary.contains(needle),
                "{format} step summary shows a secret"
            );
        }
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        if extra.is_empty() {
            assert!(stdout.contains("plaintext-secret"), "{format}: {stdout}");
        } else {
            assert!(stdout.contains("+++ b/"), "{stdout}\n{stderr}");
        }
        // The secret and every six-character part of it, an escaped copy of it, and its
        // UTF-16 form as frames would show it.
        let lowercase = forbidden(&SECRET.to_lowercase());
        for needle in (forbidden(SECRET).iter().chain(&lowercase))
            .map(String::as_str)
            .chain([
                "987654321987654321",
                "DISTINCTIVE",
                "DIST\\u0049NCTIVE",
                "D?I?S?T?I?N?C",
            ])
        {
            assert!(
                !stdout.contains(needle),
                "{format} stdout shows a secret ({needle:?}):\n{stdout}"
            );
            assert!(
                !stderr.contains(needle),
                "{format} stderr shows a secret ({needle:?}):\n{stderr}"
            );
        }
    }
}

/// The secret every generated document holds: `/` and `~` exercise the escaped, pointer and
/// percent-encoded forms.
const PLANTED: &str = "Vk7Q/pR2~mXz9W";
/// The same secret where it is a URL's password (`/` would end the authority).
const PLANTED_URL: &str = "Vk7QpR2mXz9WbT";

/// Every form and every six-character part of `secret` that must appear in no output.
fn forbidden(secret: &str) -> Vec<String> {
    let mut forms = vec![
        secret.to_owned(),
        secret.replace('~', "~0").replace('/', "~1"),
        secret.replace('/', "%2F").replace('~', "%7E"),
        secret.replace('/', "\\/"),
    ];
    let chars: Vec<char> = secret.chars().collect();
    for window in chars.windows(6) {
        forms.push(window.iter().collect());
    }
    forms
}

/// Documents placing the secret in every place that means a secret, spelt every way JSON and
/// URLs allow, valid and broken: (file name, text, the secret it holds).
fn generated() -> Vec<(String, String, &'static str)> {
    let s = PLANTED;
    let u = PLANTED_URL;
    let keys = [
        "accessSecret",
        "access\\u0053ecret",
        "AccessSecret",
        "access_secret",
    ];
    let values = [
        format!("\"{s}\""),
        format!("\"\\u0056{}\"", &s[1..]),
        format!("\"{}\"", s.replace('/', "\\/")),
    ];
    let mut docs = Vec::new();
    for (k, key) in keys.iter().enumerate() {
        for (v, value) in values.iter().enumerate() {
            docs.push((
                format!("s3-{k}-{v}.json"),
                format!("{{\"input\": {{}}, \"s3Config\": {{\"accessId\": \"a\", \"{key}\": {value}, \"bucketName\": \"b-b\", \"endpointUrl\": \"https://s3.example.com\"}}}}"),
                s,
            ));
        }
    }
    let urls = [
        format!("https://user:{u}@example.com/x"),
        format!("https:\\/\\/user:{u}@example.com/x"),
        format!("https:user:{u}@example.com/x"),
        format!("//user:{u}@example.com/x"),
        format!("https://user:{}\\t{}@example.com/x", &u[..4], &u[4..]),
        format!(
            "https://user:{}%{:02X}{}@example.com/x",
            &u[..3],
            u.as_bytes()[3],
            &u[4..]
        ),
    ];
    for (i, url) in urls.iter().enumerate() {
        docs.push((
            format!("webhook-{i}.json"),
            format!("{{\"input\": {{}}, \"webhook\": \"{url}\"}}"),
            u,
        ));
        docs.push((
            format!("key-{i}.json"),
            format!("{{\"input\": {{}}, \"{url}\": 1}}"),
            u,
        ));
        docs.push((
            format!("nested-key-{i}.json"),
            format!("{{\"input\": {{\"{url}\": {{\"a\": 1, \"a\": 2}}}}}}"),
            u,
        ));
    }
    docs.push((
        "batch.json".into(),
        format!("[{{\"input\": {{}}, \"s3Config\": {{\"accessSecret\": \"{s}\"}}}}]"),
        s,
    ));
    docs.push((
        "twice.json".into(),
        format!("{{\"input\": {{}}, \"s3Config\": {{\"accessSecret\": \"{s}\", \"accessSecret\": \"{s}\"}}}}"),
        s,
    ));
    let broken = [
        format!("{{\"input\": {{}}, \"s3Config\": {{\"accessSecret\": /* vault */ \"{s}\"}}}}"),
        format!("{{\"input\": {{}}, \"s3Config\": {{\"accessSecret\" = \"{s}\"}}}}"),
        format!("{{'input': {{}}, 's3Config': {{'accessSecret': '{s}'}}}}"),
        format!("{{\"input\": {{}}, \"s3Config\": {{accessSecret: \"{s}\"}}}}"),
        format!(
            "{{\"input\": {{}}, \"s3Config\": {{\"accessSecret\": \"{}\n{}\"}}}}",
            &s[..5],
            &s[5..]
        ),
        format!("{{\"input\": {{}}, \"s3Config\": {{\"accessSecret\": {s}}}}}"),
        format!("{{\"input\": {{}}, \"s3Config\": {{\"accessSecret\": \"{s}\",}},}}"),
        // Found by the fuzzer: an escaped key in a document that does not parse.
        format!("[{{\"input\": {{}}, \"s3Config\": {{\"access\\u0053ecret\": \"{s}\"}}]"),
        format!("{{\"input\": {{}}, \"s3Config\": {{\"ACCESS-SECRET\": \"{s}\"}}"),
        format!("\"inputt\"access\\u0053ecret\": \"{s}\", \"x\": 1}}"),
        format!("}}'-c\"AccessSecret\": \"{s}\", \"AccessSecret\": \"{s}\""),
    ];
    for (i, text) in broken.into_iter().enumerate() {
        docs.push((format!("broken-{i}.json"), text, s));
    }
    docs
}

#[test]
fn generated_secrets_never_reach_any_output() {
    let dir = tempfile::tempdir().unwrap();
    let docs = generated();
    for (name, text, _) in &docs {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let hub = dir.path().join(".runpod");
    std::fs::create_dir_all(&hub).unwrap();
    std::fs::write(
        hub.join("tests.json"),
        format!(
            "{{\"tests\": [{{\"name\": \"t\", \"input\": {{\"accessSecret\": \"{PLANTED}\", \"url\": \"https://u:{PLANTED_URL}@h.example.com/\"}}}}]}}"
        ),
    )
    .unwrap();
    let mut needles = forbidden(PLANTED);
    needles.extend(forbidden(PLANTED_URL));
    for format in FORMATS {
        let summary = dir.path().join("summary.md");
        let output = Command::new(env!("CARGO_BIN_EXE_rplint"))
            .args([
                "check",
                "--no-config",
                "--kind",
                "request",
                "--format",
                format,
                ".",
            ])
            .current_dir(dir.path())
            .env("COLUMNS", "100")
            .env("GITHUB_STEP_SUMMARY", &summary)
            .output()
            .unwrap();
        let all = format!(
            "{}{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr),
            std::fs::read_to_string(&summary).unwrap_or_default()
        );
        for needle in &needles {
            assert!(
                !all.contains(needle.as_str()),
                "{format} shows `{needle}`:\n{all}"
            );
        }
    }
    // The Hub's tests, as their own kind.
    let output = Command::new(env!("CARGO_BIN_EXE_rplint"))
        .args([
            "check",
            "--no-config",
            "--format",
            "json",
            ".runpod/tests.json",
        ])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let all = String::from_utf8_lossy(&output.stdout);
    for needle in &needles {
        assert!(
            !all.contains(needle.as_str()),
            "hub tests show `{needle}`:\n{all}"
        );
    }
    // The library: a report's text, each diagnostic's, and its Debug form.
    for (name, text, secret) in &docs {
        let report = rplint::Linter::default().check(name, text);
        let shown = format!("{report}\n{report:?}");
        for needle in forbidden(secret) {
            assert!(
                !shown.contains(&needle),
                "{name}: the library shows `{needle}`:\n{shown}"
            );
        }
    }
}

/// A passphrase that holds a word placeholders use (`token`, `your`) is still a secret: only a
/// value made of nothing but such words (`your-api-key`) is taken for a placeholder.
#[test]
fn passphrases_with_placeholder_words_are_masked() {
    let dir = tempfile::tempdir().unwrap();
    let text = "{\"input\": {\"password\": \"tangerine-token-walrus-quartz\", \"api_key\": \"your-api-key\"}, \"s3Config\": {\"accessId\": \"i\", \"accessSecret\": \"yourfavoritemonkey81\", \"bucketName\": \"b-b-b\", \"endpointUrl\": \"https://s3.example.com\"}, \"webhok\": 1}\n";
    std::fs::write(dir.path().join("p.json"), text).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_rplint"))
        .args(["check", "--no-config"])
        .arg(dir.path().join("p.json"))
        .env("COLUMNS", "400")
        .output()
        .unwrap();
    let shown = String::from_utf8_lossy(&output.stdout);
    assert!(shown.contains("webhok"), "{shown}");
    for secret in ["walrus", "quartz", "tangerine", "monkey81", "favorite"] {
        assert!(!shown.contains(secret), "{secret}: {shown}");
    }
    // A placeholder is shown as written.
    assert!(shown.contains("your-api-key"), "{shown}");
}

/// Names and strings a review of the secret scan found shown: words of other scripts as
/// written (`пароль` was on the list, but compared as Latin look-alikes), names code gives a
/// credential (`creds`, `FAL_KEY`, `dbpass`), and credentials written inside a string (a block
/// of headers, an environment, connection strings, command-line flags). Keys that are no
/// credentials keep their values shown.
#[test]
fn names_and_strings_of_credentials_are_masked() {
    let names = [
        "пароль",
        "токен",
        "ключ_api",
        "密碼",
        "トークン",
        "令牌",
        "密钥",
        "clave",
        "şifre",
        "passord",
        "adgangskode",
        "lösenord",
        "creds",
        "cred",
        "SUPABASE_SERVICE_ROLE_KEY",
        "SUPABASE_KEY",
        "FAL_KEY",
        "B2_APPLICATION_KEY",
        "masterkey",
        "aes_key",
        "enc_key",
        "dbpass",
        "pgpass",
        "passkey",
        "psw",
        "pword",
        "connection_string",
        "лозинка",
        "κωδικός",
        "APIキー",
        "salasõna",
        "kata_sandi",
        "mật_khẩu",
        "סיסמה",
        "كلمة_المرور",
        "รหัสผ่าน",
        "jeton",
        "chave_api",
        "clé_api",
        "aws_creds",
        "passw",
        "paswd",
        "rootpass",
        "tls_key",
        "applicationKey",
        "OPENROUTER_KEY",
        "totp_seed",
        "openAIKey",
        "azureOpenAIKey",
        "huggingFaceKey",
        "elevenLabsKey",
        "runPodKey",
        "X-RunPod-Key",
        "kaggle_key",
        "fernet_key",
        "gpg_key",
        "chiave_api",
        "clave_api",
        "clé_secrète",
        "api_schlüssel",
        "zugangsdaten",
        "api_sleutel",
        "api_nyckel",
        "klucz_api",
        "токен_доступа",
        "秘密",
    ];
    let strings = [
        "Content-Type: application/json\\nAuthorization: Bearer {}",
        "HF_TOKEN={}",
        "Server=x;Database=y;User Id=u;Password={};",
        "DefaultEndpointsProtocol=https;AccountName=a;AccountKey={}==;EndpointSuffix=core.windows.net",
        "python run.py --api-key={} --steps 30",
        "python run.py --hf-token {} --steps 30",
        "export DB_PASSWORD='{}'",
        "password = \\\"{}\\\"",
        "password: '{}'",
        "--wandb-key \\\"{}\\\"",
        "connect(password='{}')",
        "{\\\"db\\\": {\\\"password\\\": \\\"{}\\\"}}",
        "curl -u admin:{} https://x",
        "-----BEGIN PGP PRIVATE KEY BLOCK-----\\n\\nlQOYBG{}\\n-----END PGP PRIVATE KEY BLOCK-----",
        "-----begin private key-----\\n{}\\n-----end private key-----",
        "PuTTY-User-Key-File-3: ssh-ed25519\\nPrivate-Lines: 1\\n{}\\nPrivate-MAC: 0f",
    ];
    // Each secret its own: a value masked anywhere masks its parts everywhere, so secrets that
    // shared a part would hide each other's misses.
    let alphabet = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut secret = || -> String {
        (0..14)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                char::from(alphabet[(state % alphabet.len() as u64) as usize])
            })
            .collect()
    };
    let mut secrets = Vec::new();
    let mut members = Vec::new();
    for name in names {
        let value = secret();
        members.push(format!("\"{name}\": \"{value}\""));
        secrets.push((name.to_owned(), value));
    }
    for (i, string) in strings.iter().enumerate() {
        let value = secret();
        members.push(format!("\"s{i}\": \"{}\"", string.replace("{}", &value)));
        secrets.push((string.to_string(), value));
    }
    let text = format!(
        "{{\"input\": {{{}, \"cache_key\": \"prompt-cache-7\", \"s3_key\": \"outputs/img.png\", \"cmd\": \"--steps 30\"}}, \"webhok\": 1}}",
        members.join(",\n")
    );
    let source = rplint::Source::new("names.json", text);
    let found = rplint::check(&source, &rplint::config::Config::default());
    assert!(found.iter().any(|f| f.rule == "unknown-key"));
    let shown = source.shown_text();
    let missed: Vec<&String> = (secrets.iter())
        .filter(|(_, value)| shown.contains(value.as_str()))
        .map(|(name, _)| name)
        .collect();
    assert!(missed.is_empty(), "{missed:?}");
    for kept in ["prompt-cache-7", "outputs/img.png", "--steps 30"] {
        assert!(shown.contains(kept), "{kept}: {shown}");
    }
}

/// A bare value longer than 1 KiB after a secret key: its span is masked in frames, and the
/// shortened quote a syntax error makes of it (its start and its end) in messages.
#[test]
fn a_long_bare_secret_is_masked_where_messages_quote_it() {
    let secret = "Zq9vLm3KpW7xYt";
    let source = rplint::Source::new(
        "b.json",
        format!("{{\"input\": {{\"password\": {}}}}}\n", secret.repeat(80)),
    );
    let found = rplint::check(&source, &rplint::config::Config::default());
    assert!(found.iter().any(|f| f.rule == "json-syntax"));
    let said: String = found
        .iter()
        .map(|f| {
            format!(
                "{} {}",
                source.scrub(&f.message),
                source.scrub(&f.help.clone().unwrap_or_default())
            )
        })
        .collect();
    assert!(!said.contains("q9vLm3"), "{said}");
    assert!(!source.shown_text().contains("q9vLm3"));
}

/// What the `plaintext-secret` rule reports is masked (`mysecretkey`, `credentials`: words
/// that say what belongs there, run together or alone, had been reported and shown), and a
/// secret made of rplint's own words does not mask those words everywhere (a file named
/// `secrets.json` was reported as `****s.json`, the message as "`access****` holds a literal
/// **** key").
#[test]
fn reported_secrets_are_masked_and_rplints_own_words_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    for value in [
        "xxSECRETxx",
        "mysecretkey",
        "credentials",
        "myapikey",
        "secretkey",
    ] {
        let text = format!(
            "{{\"input\": {{}},\n\"s3Config\": {{\"accessId\": \"AKIA1\", \"accessSecret\": \"{value}\", \"bucketName\": \"bb-b\", \"endpointUrl\": \"https://s3.example.com\"}}}}\n"
        );
        std::fs::write(dir.path().join("secrets.json"), text).unwrap();
        for format in ["human", "concise", "json", "github"] {
            let output = Command::new(env!("CARGO_BIN_EXE_rplint"))
                .args(["check", "--no-config", "--format", format])
                .arg(dir.path().join("secrets.json"))
                .output()
                .unwrap();
            let shown = String::from_utf8_lossy(&output.stdout);
            assert!(
                shown.contains("plaintext-secret"),
                "{value} {format}: {shown}"
            );
            assert!(
                !shown.contains(&format!("\"{value}\"")),
                "{value} {format}: {shown}"
            );
            assert!(shown.contains("secrets.json"), "{value} {format}: {shown}");
            assert!(
                shown.contains("`accessSecret` holds a literal secret key"),
                "{value} {format}: {shown}"
            );
        }
    }
}
