//! The protocol's framing over stdin and stdout.
//!
//! lsp-server's own stdio transport allocates whatever `Content-Length` a header announces
//! before reading it (a stray `Content-Length: 99999999999` aborts the process) and ends the
//! session at the first message that is not valid JSON-RPC. This one reads at most
//! [`MOST_BYTES`] per message, growing its buffer as bytes arrive, and hands a malformed
//! message to the server as [`INVALID`] so that it can answer it and go on. Framing that
//! cannot be followed (a header line without an end, no `Content-Length`) ends the session: the
//! next message's start cannot be found.

use std::io::{self, BufRead, Read, Write};
use std::thread;

use crossbeam_channel::{Receiver, Sender, unbounded};
use lsp_server::{Connection, Message, Notification};

/// The largest message read: an editor sends a whole document on open, and a 20 MB body
/// (the `/runsync` limit) escaped as a JSON string can take several times its size.
pub const MOST_BYTES: usize = 256 * 1024 * 1024;

/// The longest header line read.
const MOST_HEADER_BYTES: u64 = 8 * 1024;

/// The method of the notification that stands for a message that could not be read: its
/// params are `{"why": "...", "id": <the request's id, when it had one>}`.
pub const INVALID: &str = "$/rplint/invalid";

/// A connection over stdin and stdout, and the thread that writes to stdout (join it after
/// dropping the connection, so that every message is written). The reading thread is left
/// to end with the process: it may be blocked on stdin.
pub fn stdio() -> (Connection, thread::JoinHandle<io::Result<()>>) {
    let (to_server, from_client) = unbounded::<Message>();
    let (to_client, from_server) = unbounded::<Message>();
    // Unbounded: a burst of keystrokes queues up, and the server checks once for all of them.
    let spawned = thread::Builder::new()
        .name("rplint-lsp-reader".to_owned())
        .spawn(move || read_all(&mut io::stdin().lock(), &to_server));
    if let Err(e) = spawned {
        let _ = writeln!(io::stderr(), "rplint server: cannot read stdin: {e}");
    }
    let writer = thread::Builder::new()
        .name("rplint-lsp-writer".to_owned())
        .spawn(move || write_all(&mut io::stdout().lock(), &from_server))
        .unwrap_or_else(|e| thread::spawn(move || Err(e)));
    (
        Connection {
            sender: to_client,
            receiver: from_client,
        },
        writer,
    )
}

fn write_all(output: &mut impl Write, messages: &Receiver<Message>) -> io::Result<()> {
    for message in messages {
        message.write(output)?;
    }
    Ok(())
}

/// Read messages until the input ends, the framing is lost or the server is gone.
pub fn read_all(input: &mut impl BufRead, to_server: &Sender<Message>) {
    loop {
        let message = match read_message(input) {
            Ok(Some(message)) => message,
            Ok(None) => return,
            Err(e) => {
                let _ = writeln!(io::stderr(), "rplint server: {e}");
                return;
            }
        };
        let is_exit = matches!(&message, Message::Notification(n) if n.method == "exit");
        if to_server.send(message).is_err() || is_exit {
            return;
        }
    }
}

/// One message: `None` at the end of the input, an [`INVALID`] notification for a message
/// that is too large or not JSON-RPC, an error when the framing is lost.
pub fn read_message(input: &mut impl BufRead) -> io::Result<Option<Message>> {
    let mut length: Option<usize> = None;
    let mut line = Vec::new();
    let mut first = true;
    loop {
        line.clear();
        let read = input
            .by_ref()
            .take(MOST_HEADER_BYTES)
            .read_until(b'\n', &mut line)?;
        if read == 0 {
            return if first {
                Ok(None)
            } else {
                Err(lost("the input ended inside a header"))
            };
        }
        first = false;
        if line.last() != Some(&b'\n') {
            return Err(lost("a header line longer than 8 KiB"));
        }
        let header = String::from_utf8_lossy(&line);
        let header = header.trim_end_matches(['\r', '\n']);
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':')
            && name.trim().eq_ignore_ascii_case("content-length")
        {
            length = Some(
                value
                    .trim()
                    .parse()
                    .map_err(|_| lost("a Content-Length that is not a number"))?,
            );
        }
    }
    let length = length.ok_or_else(|| lost("a message without a Content-Length header"))?;
    let limit = u64::try_from(length).unwrap_or(u64::MAX);
    if length > MOST_BYTES {
        let skipped = io::copy(&mut input.by_ref().take(limit), &mut io::sink())?;
        if skipped < limit {
            return Ok(None);
        }
        return Ok(Some(invalid(
            format!(
                "a message of {length} bytes, more than the {} MiB rplint reads",
                MOST_BYTES >> 20
            ),
            None,
        )));
    }
    let mut body = Vec::new();
    input.by_ref().take(limit).read_to_end(&mut body)?;
    if body.len() < length {
        return Ok(None);
    }
    let body = lone_surrogates_replaced(&body);
    Ok(Some(match serde_json::from_slice::<Message>(&body) {
        Ok(message) => message,
        Err(e) => {
            let id = serde_json::from_slice::<serde_json::Value>(&body)
                .ok()
                .and_then(|v| v.get("id").cloned())
                .filter(|id| id.is_string() || id.is_i64());
            invalid(format!("a message that is not JSON-RPC: {e}"), id)
        }
    }))
}

/// `body` with every `\\uXXXX` escape of a lone UTF-16 surrogate written `\\ufffd`. Editors
/// built on JavaScript can send one (a string cut inside an emoji), and serde_json refuses
/// it: the whole change would be lost and the server's copy of the document would drift from
/// the editor's. U+FFFD is one UTF-16 unit too, so positions after it stay right.
fn lone_surrogates_replaced(body: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    fn surrogate(escape: &[u8]) -> Option<u16> {
        let hex = std::str::from_utf8(escape.get(2..6)?).ok()?;
        let unit = u16::from_str_radix(hex, 16).ok()?;
        (escape.starts_with(b"\\u") && (0xd800..=0xdfff).contains(&unit)).then_some(unit)
    }
    if !body
        .windows(3)
        .any(|w| w[0] == b'\\' && w[1] == b'u' && matches!(w[2], b'd' | b'D'))
    {
        return body.into();
    }
    let mut out = Vec::with_capacity(body.len());
    let mut i = 0;
    while i < body.len() {
        if body[i] != b'\\' {
            out.push(body[i]);
            i += 1;
            continue;
        }
        // An escape: `\\` and the other two-byte ones are copied whole, so that an escaped
        // backslash is never read as the start of another escape.
        match body.get(i..).and_then(surrogate) {
            Some(0xd800..=0xdbff)
                if body
                    .get(i + 6..)
                    .and_then(surrogate)
                    .is_some_and(|low| (0xdc00..=0xdfff).contains(&low)) =>
            {
                out.extend_from_slice(&body[i..i + 12]);
                i += 12;
            }
            Some(_) => {
                out.extend_from_slice(b"\\ufffd");
                i += 6;
            }
            None => {
                out.extend_from_slice(&body[i..(i + 2).min(body.len())]);
                i += 2;
            }
        }
    }
    out.into()
}

fn invalid(why: String, id: Option<serde_json::Value>) -> Message {
    Message::Notification(Notification::new(
        INVALID.to_owned(),
        serde_json::json!({"why": why, "id": id}),
    ))
}

fn lost(why: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("lost the protocol's framing: {why}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn framed(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    fn read(input: &str) -> Vec<String> {
        let mut input = io::Cursor::new(input.as_bytes().to_vec());
        let mut out = Vec::new();
        while let Ok(Some(message)) = read_message(&mut input) {
            out.push(match message {
                Message::Notification(n) => n.method,
                Message::Request(r) => r.method,
                Message::Response(_) => "response".to_owned(),
            });
        }
        out
    }

    #[test]
    fn malformed_messages_are_answered_and_reading_goes_on() {
        let exit = framed(r#"{"jsonrpc":"2.0","method":"exit"}"#);
        let input = [
            framed("{not json"),
            framed(r#"{"jsonrpc":"2.0","id":1,"method":7}"#),
            exit.clone(),
        ]
        .concat();
        assert_eq!(read(&input), [INVALID, INVALID, "exit"]);
    }

    #[test]
    fn an_announced_length_is_not_allocated_before_it_arrives() {
        // Nothing follows the header: the input ends, no 1 TB buffer is made.
        assert!(read("Content-Length: 1000000000000\r\n\r\n{}").is_empty());
        assert!(read("Content-Length: 99999999999999999999999\r\n\r\n{}").is_empty());
        // Headers in any case, with other headers beside.
        let body = r#"{"jsonrpc":"2.0","method":"exit"}"#;
        let input = format!(
            "content-length: {}\r\nContent-Type: application/vscode-jsonrpc\r\n\r\n{body}",
            body.len()
        );
        assert_eq!(read(&input), ["exit"]);
    }

    #[test]
    fn lone_surrogates_become_replacement_characters() {
        let fixed = |text: &str| {
            String::from_utf8(lone_surrogates_replaced(text.as_bytes()).into_owned()).unwrap()
        };
        assert_eq!(fixed(r#""a\ud83d b""#), r#""a\ufffd b""#);
        assert_eq!(fixed(r#""\ude00\ud83d""#), r#""\ufffd\ufffd""#);
        // A pair stays; an escaped backslash before `ud83d` is no escape.
        assert_eq!(fixed(r#""\ud83d\ude00""#), r#""\ud83d\ude00""#);
        assert_eq!(fixed(r#""\\ud83d""#), r#""\\ud83d""#);
        let message = format!(
            "Content-Length: {n}\r\n\r\n{body}",
            n = r#"{"jsonrpc":"2.0","method":"x","params":{"t":"\ud83d"}}"#.len(),
            body = r#"{"jsonrpc":"2.0","method":"x","params":{"t":"\ud83d"}}"#
        );
        let mut input = io::Cursor::new(message.into_bytes());
        match read_message(&mut input) {
            Ok(Some(Message::Notification(n))) => assert_eq!(n.params["t"], "\u{fffd}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn lost_framing_ends_the_session() {
        let mut input = io::Cursor::new(b"no header here\r\n\r\n{}".to_vec());
        assert!(read_message(&mut input).is_err());
        let mut input = io::Cursor::new(vec![b'x'; 20_000]);
        assert!(read_message(&mut input).is_err());
    }
}
