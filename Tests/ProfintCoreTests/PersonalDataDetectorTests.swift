import Testing
@testable import ProfintCore

struct PersonalDataDetectorTests {
    typealias Kind = PersonalDataScan.Kind

    func kinds(_ text: String, publicNumbers: Set<String> = []) -> [Kind] {
        PersonalDataDetector.scan(text, publicNumbers: publicNumbers, latestBirthYear: 2014).kinds
    }

    @Test(arguments: [
        "Fatima, DOB 14 Feb 1990, wants forklift training",
        "elle est née le 3 mars 2001 à Conakry",
        "il ragazzo è nato il 12 marzo 1999",
        "han är född 5 maj 2000",
        "date of birth 1990-02-14",
        "born on February 14, 1990",
        "Mme K., 14/02/1990, cherche un stage",
        "le 1er juin 1985",
        "nata il 2 di maggio 1990",
        "her d.o.b. is 3.4.1988",
        "né en 2004, il cherche une formation",
        "a boy born 12 January 2016 in Eritrea",
    ])
    func datesOfBirth(_ text: String) {
        #expect(kinds(text).contains(.dateOfBirth), "\(text)")
    }

    @Test(arguments: [
        "+353 87 123 4567", "06 12 34 56 78", "0612345678", "+33 6 12 34 56 78", "333 123 4567", "3331234567",
        "070-123 45 67", "+46 70 123 45 67", "07700 900123", "020 7946 0958", "0039 333 123 4567", "011 234 5678",
        "+39 (02) 1234 5678",
    ])
    func phoneNumbers(_ number: String) {
        #expect(kinds("you can reach her on \(number) after 5") == [.phone], "\(number)")
    }

    @Test func emailAddresses() {
        #expect(kinds("write to fatima.k-2001@example.org about the course") == [.email])
        #expect(kinds("mail: ahmed_d@posta.it.") == [.email])
        #expect(kinds("meet @ the office").isEmpty)
        #expect(kinds("user@localhost").isEmpty)
    }

    @Test(arguments: [
        "he lives at 12 rue de la Paix in Lyon", "12bis, avenue Jean Jaurès", "abita in via Roma 12 a Palermo",
        "corso Vittorio Emanuele 45", "hon bor på Storgatan 5 i Malmö", "Kungsvägen 12B", "14 Baker Street",
        "221 North Circular Road",
    ])
    func streetAddresses(_ text: String) {
        #expect(kinds(text) == [.address], "\(text)")
    }

    @Test(arguments: [
        "personnummer 19900214-1234", "hans personnummer är 900214-1234", "199002141234",
        "codice fiscale RSSMRA85T10A562S", "son numéro AGDREF est le 7504123456", "her file number is 2023-4471",
        "numéro de sécurité sociale 1 85 05 78 006 084 36", "pratica n. 123456",
    ])
    func identityAndFileNumbers(_ text: String) {
        #expect(kinds(text).contains(.identifier), "\(text)")
    }

    @Test func namesAfterATitle() {
        #expect(kinds("Mme Diallo a reçu un refus") == [.name])
        #expect(kinds("la signora Rossi chiede un corso") == [.name])
        #expect(kinds("Mr. Haddad wants to retrain") == [.name])
        #expect(kinds("Mr, the team") .isEmpty)
    }

    @Test(arguments: [
        "the course costs 12,50 € per session", "il est arrivé en 2019", "rendez-vous à 14:30 demain",
        "module 3 on needs assessment", "modulo 12, sessione 2", "he is paid 2 euros an hour",
        "the course starts on 12 March 2027", "law 2024-42 of 26 January 2024", "L. 50/2023 e DL 20/2023",
        "between 2024 and 2026", "a group of 15 people aged 18-25", "call 112 or 3919", "ring 116 000",
        "level B1 by 2026", "décret 2018-593", "we have 1.500 euro for the project", "our budget is 120 000 kronor",
        "the tirocinio lasts 6 months", "1st session on 3 May", "version 2.1.3",
    ])
    func notPersonalData(_ text: String) {
        #expect(kinds(text).isEmpty, "\(text)")
    }

    @Test func publicHelplinesAreNotPersonalData() {
        #expect(kinds("is 020-50 50 50 open at night?", publicNumbers: ["020505050"]).isEmpty)
        #expect(kinds("is 020-50 50 50 open at night?") == [.phone])
    }

    @Test func theQuestionIsKeptAndTheDataTakenOut() {
        let scan = PersonalDataDetector.scan("Fatima, DOB 14 Feb 1990, tel 06 12 34 56 78, wants forklift training")
        #expect(scan.kinds == [.phone, .dateOfBirth])
        #expect(!scan.scrubbed.contains("1990") && !scan.scrubbed.contains("06 12"))
        #expect(scan.scrubbed.contains("wants forklift training"))
    }
}
