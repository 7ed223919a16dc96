//! The test vectors of `docs/ledger-format.md`. Each event is built from the JSON body
//! and header fields printed in the document; the test asserts the leaf bytes, the
//! RFC 6962 leaf hashes and the tree roots, and that the document shows exactly these
//! values. Any change to the encoding fails here before it can silently fork the format.
//!
//! Run with `-- --nocapture` to print the values.
#![allow(clippy::unwrap_used)]

use iwt_domain::EntityKind;
use iwt_domain::codec::{decode_event, encode_event, encode_value, pii_commitment};
use iwt_domain::event::{Event, EventBody, Subject};
use iwt_domain::records::PersonalData;
use serde_json::Value;
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use uuid::Uuid;

/// One vector: header fields, body JSON, expected leaf hex and leaf hash hex.
struct Vector {
    name: &'static str,
    event_id: &'static str,
    occurred_at_us: i64,
    actor: &'static str,
    /// (kind, id, prev)
    subjects: &'static [(EntityKind, &'static str, Option<u64>)],
    corrects: Option<u64>,
    reason: Option<&'static str>,
    attachments: &'static [&'static str],
    pii: bool,
    body: &'static str,
    leaf: &'static str,
    leaf_hash: &'static str,
}

const SALT: [u8; 16] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];
const PERSONAL: &str =
    r#"{"given_name": "Zoë", "family_name": "Müller", "date_of_birth": "1990-05-17"}"#;
const PERSONAL_ENCODING: &str = "0700000003000d646174655f6f665f6269727468050000000a313939302d30352d3137000b66616d696c795f6e616d6505000000074dc3bc6c6c6572000a676976656e5f6e616d6505000000045a6fc3ab";
const PII_COMMITMENT: &str = "bf5bb356b9554068ef5e226ce55932b0eedf0df594d0ecd3dcfe0920659c9e7f";
/// SHA-256 of the attached document, here of the ASCII bytes `photo of frame marking`.
const ATTACHMENT_TEXT: &str = "photo of frame marking";
const ATTACHMENT: &str = "3cce54187ffd1cbf9bd650e838af6ad0becbe20475747b583efe862004ccd711";

const MODEL: &str = "019593e1-be80-7000-9000-000000000101";
const PERSON: &str = "019593e6-535a-7000-9000-000000000201";
const FIREARM: &str = "019593ea-e6bb-7000-9000-000000000301";

const VECTORS: &[Vector] = &[
    Vector {
        name: "0: firearm model created",
        event_id: "019593e1-be80-7000-8000-000000000001",
        occurred_at_us: 1_741_942_800_000_001,
        actor: "01959000-0000-7000-8000-00000000ad01",
        subjects: &[(EntityKind::FirearmModel, MODEL, None)],
        corrects: None,
        reason: None,
        attachments: &[],
        pii: false,
        body: r#"{
  "type": "record_created",
  "record": {
    "kind": "firearm_model",
    "data": {
      "id": "019593e1-be80-7000-9000-000000000101",
      "make": "Glock",
      "manufacturer": "Glock Ges.m.b.H.",
      "model": "17 Gen5",
      "firearm_type": "pistol",
      "action": "semi_automatic",
      "calibres": ["9×19mm Parabellum"],
      "barrel_length_mm": 114,
      "country_of_manufacture": "AT",
      "ifrt_ref": null
    }
  }
}"#,
        leaf: "010001019593e1be807000800000000000000100063049a9d024010195900000007000800000000000ad010101019593e1be8070009000000000000101ffffffffffffffffffffffffffffffff0000000000000160070000000200067265636f72640700000002000464617461070000000a0006616374696f6e050000000e73656d695f6175746f6d61746963001062617272656c5f6c656e6774685f6d6d030000000000000072000863616c69627265730600000001050000001239c39731396d6d205061726162656c6c756d0016636f756e7472795f6f665f6d616e756661637475726505000000024154000c6669726561726d5f747970650500000006706973746f6c00026964050000002430313935393365312d626538302d373030302d393030302d3030303030303030303130310008696672745f7265660000046d616b650500000005476c6f636b000c6d616e7566616374757265720500000010476c6f636b204765732e6d2e622e482e00056d6f64656c050000000731372047656e3500046b696e64050000000d6669726561726d5f6d6f64656c000474797065050000000e7265636f72645f63726561746564",
        leaf_hash: "83362e75cc7b8fc2c4c79fb073505304ce4d6814654aae0ab26acd7a9c4d6851",
    },
    Vector {
        name: "1: person created, with a personal-data commitment",
        event_id: "019593e6-535a-7000-8000-000000000002",
        occurred_at_us: 1_741_943_100_250_000,
        actor: "01959000-0000-7000-8000-00000000ad01",
        subjects: &[(EntityKind::Person, PERSON, None)],
        corrects: None,
        reason: None,
        attachments: &[],
        pii: true,
        body: r#"{
  "type": "record_created",
  "record": {
    "kind": "person",
    "data": {
      "id": "019593e6-535a-7000-9000-000000000201",
      "badge_number": "B-1042",
      "service_number": null,
      "card_uid": "04A2B9C1",
      "unit_id": "01959000-0000-7000-8000-0000000000a1",
      "rank": "PC",
      "status": "active"
    }
  }
}"#,
        leaf: "010001019593e6535a7000800000000000000200063049bbb597900195900000007000800000000000ad01010d019593e6535a70009000000000000201ffffffffffffffffffffffffffffffff00000001bf5bb356b9554068ef5e226ce55932b0eedf0df594d0ecd3dcfe0920659c9e7f00000107070000000200067265636f726407000000020004646174610700000007000c62616467655f6e756d6265720500000006422d313034320008636172645f7569640500000008303441324239433100026964050000002430313935393365362d353335612d373030302d393030302d303030303030303030323031000472616e6b05000000025043000e736572766963655f6e756d62657200000673746174757305000000066163746976650007756e69745f6964050000002430313935393030302d303030302d373030302d383030302d30303030303030303030613100046b696e640500000006706572736f6e000474797065050000000e7265636f72645f63726561746564",
        leaf_hash: "37f9bec4cebfc357d5ad1f630b257a505be61f2cacd9e6aa845504202ba9a1d9",
    },
    Vector {
        name: "2: firearm created, with markings",
        event_id: "019593ea-e6bb-7000-8000-000000000003",
        occurred_at_us: 1_741_943_400_123_456,
        actor: "01959000-0000-7000-8000-00000000ad02",
        subjects: &[(EntityKind::Firearm, FIREARM, None)],
        corrects: None,
        reason: None,
        attachments: &[],
        pii: false,
        body: r#"{
  "type": "record_created",
  "record": {
    "kind": "firearm",
    "data": {
      "id": "019593ea-e6bb-7000-9000-000000000301",
      "model_id": "019593e1-be80-7000-9000-000000000101",
      "serial_number": "ABCD123",
      "manufacturer": "Glock Ges.m.b.H.",
      "country_of_manufacture": "AT",
      "year_of_manufacture": 2019,
      "origin": "imported",
      "weapon_class": "PISTOL-9MM",
      "markings": [
        {
          "kind": "manufacture",
          "text": "ABCD123",
          "location_on_item": "left side of frame",
          "manufacturer": "GLOCK",
          "country": "AT",
          "place": "Deutsch-Wagram",
          "year": 2019,
          "importer": null,
          "method": "laser"
        },
        {
          "kind": "import",
          "text": "DE 20",
          "location_on_item": "right side of frame",
          "manufacturer": null,
          "country": "DE",
          "place": null,
          "year": 2020,
          "importer": "Waffen-Import GmbH",
          "method": "stamping"
        }
      ],
      "unit_id": "01959000-0000-7000-8000-0000000000a1",
      "location_id": "01959000-0000-7000-8000-0000000000b1",
      "notes": null
    }
  }
}"#,
        leaf: "010001019593eae6bb7000800000000000000300063049cd954c400195900000007000800000000000ad020102019593eae6bb70009000000000000301ffffffffffffffffffffffffffffffff0000000000000354070000000200067265636f72640700000002000464617461070000000c0016636f756e7472795f6f665f6d616e75666163747572650500000002415400026964050000002430313935393365612d653662622d373030302d393030302d303030303030303030333031000b6c6f636174696f6e5f6964050000002430313935393030302d303030302d373030302d383030302d303030303030303030306231000c6d616e7566616374757265720500000010476c6f636b204765732e6d2e622e482e00086d61726b696e6773060000000207000000090007636f756e747279050000000241540008696d706f727465720000046b696e64050000000b6d616e756661637475726500106c6f636174696f6e5f6f6e5f6974656d05000000126c6566742073696465206f66206672616d65000c6d616e7566616374757265720500000005474c4f434b00066d6574686f6405000000056c617365720005706c616365050000000e446575747363682d57616772616d0004746578740500000007414243443132330004796561720300000000000007e307000000090007636f756e747279050000000244450008696d706f72746572050000001257616666656e2d496d706f727420476d624800046b696e640500000006696d706f727400106c6f636174696f6e5f6f6e5f6974656d050000001372696768742073696465206f66206672616d65000c6d616e7566616374757265720000066d6574686f6405000000087374616d70696e670005706c61636500000474657874050000000544452032300004796561720300000000000007e400086d6f64656c5f6964050000002430313935393365312d626538302d373030302d393030302d30303030303030303031303100056e6f7465730000066f726967696e0500000008696d706f72746564000d73657269616c5f6e756d6265720500000007414243443132330007756e69745f6964050000002430313935393030302d303030302d373030302d383030302d303030303030303030306131000c776561706f6e5f636c617373050000000a504953544f4c2d394d4d0013796561725f6f665f6d616e75666163747572650300000000000007e300046b696e6405000000076669726561726d000474797065050000000e7265636f72645f63726561746564",
        leaf_hash: "fec30ca13c2bbdfd5f5e904678a86a13a25023f59882312eae2beee0f49f3338",
    },
    Vector {
        name: "3: firearm issued, with prev links",
        event_id: "019594f6-7e28-7000-8000-000000000004",
        occurred_at_us: 1_741_960_937_000_042,
        actor: "01959000-0000-7000-8000-00000000ad02",
        subjects: &[
            (EntityKind::Firearm, FIREARM, Some(2)),
            (EntityKind::Person, PERSON, Some(1)),
        ],
        corrects: None,
        reason: None,
        attachments: &[],
        pii: false,
        body: r#"{
  "type": "item_issued",
  "item": {"kind": "firearm", "id": "019593ea-e6bb-7000-9000-000000000301"},
  "person_id": "019593e6-535a-7000-9000-000000000201",
  "location_id": "01959000-0000-7000-8000-0000000000b2",
  "long_term": false
}"#,
        leaf: "010006019594f67e28700080000000000000040006304de2dccc6a0195900000007000800000000000ad020202019593eae6bb7000900000000000030100000000000000020d019593e6535a700090000000000002010000000000000001ffffffffffffffff00000000000000db070000000500046974656d070000000200026964050000002430313935393365612d653662622d373030302d393030302d30303030303030303033303100046b696e6405000000076669726561726d000b6c6f636174696f6e5f6964050000002430313935393030302d303030302d373030302d383030302d30303030303030303030623200096c6f6e675f7465726d010009706572736f6e5f6964050000002430313935393365362d353335612d373030302d393030302d303030303030303030323031000474797065050000000b6974656d5f697373756564",
        leaf_hash: "d2814834394c4e331b9169d398f8c4bd3805a548ef7790f1f559ee70e62ac343",
    },
    Vector {
        name: "4: firearm record corrected",
        event_id: "019598ec-a340-7000-8000-000000000005",
        occurred_at_us: 1_742_027_400_000_000,
        actor: "01959000-0000-7000-8000-00000000ad03",
        subjects: &[(EntityKind::Firearm, FIREARM, Some(3))],
        corrects: Some(2),
        reason: Some("serial misread at registration: frame reads ABCD128"),
        attachments: &[ATTACHMENT],
        pii: false,
        body: r#"{
  "type": "record_corrected",
  "record": {
    "kind": "firearm",
    "data": {
      "id": "019593ea-e6bb-7000-9000-000000000301",
      "model_id": "019593e1-be80-7000-9000-000000000101",
      "serial_number": "ABCD128",
      "manufacturer": "Glock Ges.m.b.H.",
      "country_of_manufacture": "AT",
      "year_of_manufacture": 2019,
      "origin": "imported",
      "weapon_class": "PISTOL-9MM",
      "markings": [
        {
          "kind": "manufacture",
          "text": "ABCD128",
          "location_on_item": "left side of frame",
          "manufacturer": "GLOCK",
          "country": "AT",
          "place": "Deutsch-Wagram",
          "year": 2019,
          "importer": null,
          "method": "laser"
        },
        {
          "kind": "import",
          "text": "DE 20",
          "location_on_item": "right side of frame",
          "manufacturer": null,
          "country": "DE",
          "place": null,
          "year": 2020,
          "importer": "Waffen-Import GmbH",
          "method": "stamping"
        }
      ],
      "unit_id": "01959000-0000-7000-8000-0000000000a1",
      "location_id": "01959000-0000-7000-8000-0000000000b1",
      "notes": null
    }
  }
}"#,
        leaf: "010002019598eca340700080000000000000050006305d5c5db2000195900000007000800000000000ad030102019593eae6bb7000900000000000030100000000000000030000000000000002003373657269616c206d69737265616420617420726567697374726174696f6e3a206672616d652072656164732041424344313238013cce54187ffd1cbf9bd650e838af6ad0becbe20475747b583efe862004ccd7110000000356070000000200067265636f72640700000002000464617461070000000c0016636f756e7472795f6f665f6d616e75666163747572650500000002415400026964050000002430313935393365612d653662622d373030302d393030302d303030303030303030333031000b6c6f636174696f6e5f6964050000002430313935393030302d303030302d373030302d383030302d303030303030303030306231000c6d616e7566616374757265720500000010476c6f636b204765732e6d2e622e482e00086d61726b696e6773060000000207000000090007636f756e747279050000000241540008696d706f727465720000046b696e64050000000b6d616e756661637475726500106c6f636174696f6e5f6f6e5f6974656d05000000126c6566742073696465206f66206672616d65000c6d616e7566616374757265720500000005474c4f434b00066d6574686f6405000000056c617365720005706c616365050000000e446575747363682d57616772616d0004746578740500000007414243443132380004796561720300000000000007e307000000090007636f756e747279050000000244450008696d706f72746572050000001257616666656e2d496d706f727420476d624800046b696e640500000006696d706f727400106c6f636174696f6e5f6f6e5f6974656d050000001372696768742073696465206f66206672616d65000c6d616e7566616374757265720000066d6574686f6405000000087374616d70696e670005706c61636500000474657874050000000544452032300004796561720300000000000007e400086d6f64656c5f6964050000002430313935393365312d626538302d373030302d393030302d30303030303030303031303100056e6f7465730000066f726967696e0500000008696d706f72746564000d73657269616c5f6e756d6265720500000007414243443132380007756e69745f6964050000002430313935393030302d303030302d373030302d383030302d303030303030303030306131000c776561706f6e5f636c617373050000000a504953544f4c2d394d4d0013796561725f6f665f6d616e75666163747572650300000000000007e300046b696e6405000000076669726561726d00047479706505000000107265636f72645f636f72726563746564",
        leaf_hash: "bec4dde7b89fa20e57588cb951ce85e880ee1986de7e5d509631769a54233aa2",
    },
];

/// Merkle tree roots (RFC 6962 MTH) of the first n leaves, n = 1..=5.
const ROOTS: [&str; 5] = [
    "83362e75cc7b8fc2c4c79fb073505304ce4d6814654aae0ab26acd7a9c4d6851",
    "6b64084b8ce263b20db977eb327bd77f24a4f7794b1b24f3f0a87271e8984ba8",
    "32639fddde76e99f9e771e1372f10e017e74440cbfa2f2e8fa7d857a82b79ff3",
    "7d8cc486a25c8bc1a9c48fe64c471fe6c92952f91388da33fdf5c4b225eedb9f",
    "4a58070814fc1604ff928fbcd9c56b9f5aeb655dbca2a417f01a33131763a396",
];

fn uuid(s: &str) -> Uuid {
    Uuid::parse_str(s).unwrap()
}

fn personal() -> PersonalData {
    serde_json::from_str(PERSONAL).unwrap()
}

fn event(v: &Vector) -> Event {
    let body: EventBody = serde_json::from_str(v.body).unwrap();
    // The JSON in the document lists every field: it is exactly the body's value tree.
    let as_text: Value = serde_json::from_str(v.body).unwrap();
    assert_eq!(serde_json::to_value(&body).unwrap(), as_text, "{}", v.name);
    let hex32 = |s: &str| -> [u8; 32] { hex::decode(s).unwrap().try_into().unwrap() };
    Event {
        event_id: uuid(v.event_id),
        occurred_at: OffsetDateTime::from_unix_timestamp_nanos(i128::from(v.occurred_at_us) * 1000)
            .unwrap(),
        actor: uuid(v.actor),
        subjects: v
            .subjects
            .iter()
            .map(|&(kind, id, prev)| Subject {
                kind,
                id: uuid(id),
                prev,
            })
            .collect(),
        corrects: v.corrects,
        reason: v.reason.map(str::to_owned),
        attachments: v.attachments.iter().map(|a| hex32(a)).collect(),
        pii_commitment: v.pii.then(|| pii_commitment(&SALT, &personal()).unwrap()),
        body,
    }
}

fn sha256(parts: &[&[u8]]) -> [u8; 32] {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p);
    }
    h.finalize().into()
}

fn leaf_hash(leaf: &[u8]) -> [u8; 32] {
    sha256(&[&[0x00], leaf])
}

/// RFC 6962 section 2.1 Merkle Tree Hash over leaf hashes.
fn mth(hashes: &[[u8; 32]]) -> [u8; 32] {
    match hashes.len() {
        0 => sha256(&[]),
        1 => hashes[0],
        n => {
            let mut k = 1;
            while k * 2 < n {
                k *= 2;
            }
            let (l, r) = hashes.split_at(k);
            sha256(&[&[0x01], &mth(l), &mth(r)])
        }
    }
}

/// The document with all white space removed, so wrapped hex lines still match.
fn doc_text() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/ledger-format.md");
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

fn assert_in_doc(doc: &str, what: &str, hex: &str) {
    assert!(
        doc.contains(hex),
        "docs/ledger-format.md does not show {what} {hex}"
    );
}

#[test]
fn mth_split_is_the_largest_power_of_two_below_n() {
    // k for n = 2..9: 1, 2, 2, 4, 4, 4, 4, 8
    let h: Vec<[u8; 32]> = (0u8..9).map(|i| [i; 32]).collect();
    let manual = |l: [u8; 32], r: [u8; 32]| sha256(&[&[0x01], &l, &r]);
    assert_eq!(mth(&h[..2]), manual(h[0], h[1]));
    assert_eq!(mth(&h[..3]), manual(manual(h[0], h[1]), h[2]));
    assert_eq!(mth(&h[..5]), manual(mth(&h[..4]), h[4]));
    assert_eq!(mth(&h[..8]), manual(mth(&h[..4]), mth(&h[4..8])));
    assert_eq!(mth(&h[..9]), manual(mth(&h[..8]), h[8]));
    assert_eq!(
        hex::encode(mth(&[])),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
}

#[test]
fn vectors_match_the_encoding_and_the_document() {
    let doc = doc_text();
    let pd = serde_json::to_value(personal()).unwrap();
    let mut enc = Vec::new();
    encode_value(&pd, &mut enc).unwrap();
    let commitment = pii_commitment(&SALT, &personal()).unwrap();
    let attachment = sha256(&[ATTACHMENT_TEXT.as_bytes()]);
    println!("personal data encoding: {}", hex::encode(&enc));
    println!("pii commitment: {}", hex::encode(commitment));
    println!("attachment: {}", hex::encode(attachment));

    let mut hashes = Vec::new();
    let mut failures = Vec::new();
    for v in VECTORS {
        let e = event(v);
        let leaf = encode_event(&e).unwrap();
        assert_eq!(decode_event(&leaf).unwrap(), e, "{}", v.name);
        let h = leaf_hash(&leaf);
        println!(
            "{}\n  leaf ({} bytes): {}\n  leaf hash: {}",
            v.name,
            leaf.len(),
            hex::encode(&leaf),
            hex::encode(h)
        );
        if hex::encode(&leaf) != v.leaf || hex::encode(h) != v.leaf_hash {
            failures.push(v.name);
        }
        hashes.push(h);
    }
    let roots: Vec<String> = (1..=hashes.len())
        .map(|n| hex::encode(mth(&hashes[..n])))
        .collect();
    for (n, r) in roots.iter().enumerate() {
        println!("root of {} leaves: {r}", n + 1);
    }
    assert_eq!(hex::encode(&enc), PERSONAL_ENCODING);
    assert_eq!(hex::encode(commitment), PII_COMMITMENT);
    assert_eq!(hex::encode(attachment), ATTACHMENT);
    assert!(
        failures.is_empty(),
        "leaf or leaf hash changed: {failures:?}"
    );
    assert_eq!(roots, ROOTS);
    for (what, hex) in [
        ("the personal data encoding", PERSONAL_ENCODING),
        ("the commitment", PII_COMMITMENT),
        ("the attachment hash", ATTACHMENT),
    ] {
        assert_in_doc(&doc, what, hex);
    }
    for v in VECTORS {
        assert_in_doc(&doc, "the leaf of", v.leaf);
        assert_in_doc(&doc, "the leaf hash of", v.leaf_hash);
    }
    for r in ROOTS {
        assert_in_doc(&doc, "the root", r);
    }
}
