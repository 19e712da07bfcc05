import { describe, expect, it } from "vitest";
import { MATCH_END, MATCH_START } from "./customer-history";
import { fiscalCodeValid, ibanValid, luhnValid, maskPhone, maskText } from "./masking";

describe("PRODUCT's examples", () => {
  it("masks a phone number keeping its last 4 digits, and an e-mail keeping its first letter and domain", () => {
    expect(maskText("+447966197542")).toBe("*********7542");
    expect(maskPhone("+447966197542")).toBe("*********7542");
    expect(maskText("melissa@gmail.com")).toBe("m******@gmail.com");
  });
});

describe("card numbers", () => {
  it("masks Luhn-valid numbers of 13 to 19 digits with spaces or dashes, keeping the last 4", () => {
    expect(luhnValid("4111111111111111")).toBe(true);
    expect(maskText("card 4111 1111 1111 1111 thanks")).toBe("card **** **** **** 1111 thanks");
    expect(maskText("5500-0000-0000-0004.")).toBe("****-****-****-0004.");
    expect(maskText("amex 378282246310005")).toBe("amex ***********0005");
  });

  it("leaves a 16-digit number that fails Luhn alone (it is not a card, and too long for a phone)", () => {
    expect(luhnValid("4111111111111112")).toBe(false);
    expect(maskText("order 4111 1111 1111 1112")).toBe("order 4111 1111 1111 1112");
  });
});

describe("IBANs", () => {
  it("masks valid IBANs, grouped or not, keeping the last 4 characters", () => {
    expect(ibanValid("IT60X0542811101000000123456")).toBe(true);
    expect(maskText("IBAN IT60 X054 2811 1010 0000 0123 456 grazie")).toBe(
      "IBAN **** **** **** **** **** ***3 456 grazie",
    );
    expect(maskText("GB82WEST12345698765432")).toBe("******************5432");
    expect(maskText("de89 3704 0044 0532 0130 00")).toBe("**** **** **** **** **30 00");
  });

  it("leaves an IBAN with a wrong check digit or length alone", () => {
    expect(ibanValid("IT61X0542811101000000123456")).toBe(false);
    expect(maskText("IT61X0542811101000000123456")).toBe("IT61X0542811101000000123456");
    expect(maskText("GB82WEST1234569876543")).toBe("GB82WEST1234569876543");
  });
});

describe("social security numbers", () => {
  it("masks US SSNs and valid Italian codici fiscali, keeping the last 4", () => {
    expect(maskText("SSN 123-45-6789")).toBe("SSN ***-**-6789");
    expect(fiscalCodeValid("RSSMRA85T10A562S")).toBe(true);
    expect(maskText("CF: RSSMRA85T10A562S.")).toBe("CF: ************562S.");
    expect(maskText("cf rssmra85t10a562s")).toBe("cf ************562s");
  });

  it("leaves a codice fiscale with a wrong check character alone", () => {
    expect(fiscalCodeValid("RSSMRA85T10A562T")).toBe(false);
    expect(maskText("RSSMRA85T10A562T")).toBe("RSSMRA85T10A562T");
  });
});

describe("e-mail addresses and phone numbers in text", () => {
  it("masks every one in a message", () => {
    expect(maskText("Write to mario.rossi@example.it or call +39 333 123 4567, grazie")).toBe(
      "Write to m**********@example.it or call *** *** *** 4567, grazie",
    );
    expect(maskText("tel:+393331234567")).toBe("tel:*********4567");
    expect(maskText("chiamami al 333 1234567")).toBe("chiamami al *** ***4567");
    expect(maskText("(02) 1234-5678")).toBe("**** *****5678");
  });

  it("masks a phone field with fewer than 8 digits completely", () => {
    expect(maskPhone("+39 12345")).toBe("*** *****");
  });
});

describe("what must stay clear", () => {
  it.each([
    "See you at 12:30 or 09:15:42",
    "Delivered 2026-11-21, paid 21/11/2026, due 21.11.2026",
    "Meeting 2026-11-21T12:30:00Z",
    "Total 1.234.567,89 € or $1,234,567.89",
    "Order 4711, room 12, code 1234567",
    "Ticket 550e8400-e29b-41d4-a716-446655440000",
    "Conversation 123e4567-e89b-12d3-a456-426614174000 wamid.HBgLMzkzMzMxMjM0NTY3FQIAERgSQjFE",
    "Server 192.168.100.200",
    "Invoice INV-20261121-0001",
    "No digits at all, just words",
  ])("%s", (text) => {
    expect(maskText(text)).toBe(text);
  });
});

describe("properties", () => {
  it("keeps the length, so nothing around a mask moves", () => {
    const text = "a 4111 1111 1111 1111 b melissa@gmail.com c +447966197542 d";
    expect(maskText(text)).toHaveLength(text.length);
  });

  it("is idempotent", () => {
    const text =
      "4111 1111 1111 1111 IT60X0542811101000000123456 123-45-6789 melissa@gmail.com +447966197542";
    const once = maskText(text);
    expect(once).not.toBe(text);
    expect(maskText(once)).toBe(once);
    expect(maskPhone(maskPhone("+447966197542"))).toBe("*********7542");
  });

  it("masks inside a history snippet and puts its match marks back in place", () => {
    const snippet = `…my ${MATCH_START}card${MATCH_END} is 4111 1111 ${MATCH_START}1111${MATCH_END} 1111…`;
    expect(maskText(snippet)).toBe(
      `…my ${MATCH_START}card${MATCH_END} is **** **** ${MATCH_START}****${MATCH_END} 1111…`,
    );
  });
});
