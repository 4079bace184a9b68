using Vox.Grains.Knowledge;

namespace Vox.Grains.Tests.Knowledge;

/// <summary>A small labelled knowledge set: a clinic's documents in Markdown, CSV and HTML, and questions with the heading of the chunk that answers each.</summary>
internal static class ClinicCorpus
{
    public static IReadOnlyList<KnowledgeDocumentInput> Documents { get; } =
    [
        new("clinic-guide.md", "text/markdown", """
            # Riverside Clinic

            ## Opening hours
            We are open Monday to Friday from 8 am to 6 pm. On Saturday we are open from 9 am to 1 pm. We are closed on Sundays and public holidays.

            ## Parking
            There is a free car park behind the building with 40 spaces. Two spaces near the entrance are reserved for disabled drivers.

            ## Booking an appointment
            You can book a visit with a doctor online, through our app, or by calling reception. Same-day appointments are released at 8 am every weekday.

            ## Cancellation policy
            Please cancel at least 24 hours before your appointment. Late cancellations and missed appointments are charged a fee of 25 dollars.

            ## Insurance
            We accept most major health insurance plans, including BlueCross, Aetna and Medicare. Bring your insurance card to every visit.

            ## Getting here
            The clinic is at 12 River Road. Bus lines 4 and 17 stop right outside, and the train station is a ten minute walk away.

            ## Emergencies
            In a medical emergency call 911. Outside opening hours, our on-call nurse line is available all night on 555-0199.

            ## Prescriptions
            Repeat prescriptions can be renewed online or by phone. Please allow two working days before collecting your medicine at the pharmacy.

            ## Vaccinations
            We give flu vaccines every autumn, as well as travel vaccines and routine childhood immunisations. No appointment is needed for the flu vaccine on Wednesdays.

            ## Children
            Our paediatric team sees babies, children and teenagers. Children under 16 must come with a parent or guardian.

            ## Lab results
            Blood test results are usually ready within three working days. You will get a text message when your results are available in the app.
            """),
        new("prices.csv", "text/csv", """
            service,price,notes
            General consultation,60 dollars,20 minutes with a doctor
            Blood test,35 dollars,results in three working days
            Travel vaccine,45 dollars,per dose
            Medical certificate,20 dollars,issued the same day
            """),
        new("about.html", "text/html", """
            <html><head><style>body { color: red; }</style></head><body>
            <h1>About us</h1>
            <h2>Our doctors</h2>
            <p>Dr. Maria Lopez is our lead general practitioner. Dr. Ken Ito specialises in sports medicine, and Dr. Aisha Bello leads the paediatric team.</p>
            <h2>Payment</h2>
            <ul><li>We take cash, debit cards and all major credit cards</li><li>Invoices can be paid by bank transfer within 30 days</li></ul>
            <h2>Privacy</h2>
            <p>Your medical records are confidential and are never shared without your written consent.</p>
            </body></html>
            """),
    ];

    /// <summary>Question, and a phrase that the answering chunk's heading (or, for CSV rows, text) holds.</summary>
    public static IReadOnlyList<(string Question, string Expected)> Questions { get; } =
    [
        ("When do you open on Saturdays?", "Opening hours"),
        ("Is there somewhere to park my car?", "Parking"),
        ("How can I book a visit with a doctor?", "Booking an appointment"),
        ("What happens if I cancel my appointment late?", "Cancellation policy"),
        ("Do you take my health insurance?", "Insurance"),
        ("How much does a blood test cost?", "Blood test. price: 35 dollars"),
        ("Which bus goes to the clinic?", "Getting here"),
        ("Who do I call at night in an emergency?", "Emergencies"),
        ("Can I renew my prescription by phone?", "Prescriptions"),
        ("Do you give flu shots?", "Vaccinations"),
        ("Do you treat kids and teenagers?", "Children"),
        ("Can I pay with a credit card?", "Payment"),
        ("When will my blood results be ready?", "Lab results"),
        ("Which doctors work at the clinic?", "Our doctors"),
        ("Is my medical record kept private?", "Privacy"),
    ];

    public static bool Answers(KnowledgeHit hit, string expected) =>
        hit.Heading.Contains(expected, StringComparison.OrdinalIgnoreCase) || hit.Text.Contains(expected, StringComparison.OrdinalIgnoreCase);
}
